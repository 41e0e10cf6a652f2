"""Turns the RESULT lines of scripts/bench_distributed.sh into its table.
Usage: python3 bench/report_distributed.py results.txt

Per run: processes x threads, overlap, samples/s of the fastest epoch (median epoch in parentheses;
an epoch's time is the slowest rank's), the wall time per step a rank waited for the gradient
allreduce (rank 0; the ranks' mean in parentheses), allreduce calls and bytes per step per rank, one
allreduce of the gradient's size with every rank ready (the pure transfer), the loss of the last epoch, and the load average when the run ended. Ratios are to 1 process x 2 threads."""
import sys
from report import parse  # bench/report.py: the RESULT line format


def main(path):
    rows = [r for r in parse(path) if r.get("mode") == "distributed"]
    base = {}
    for r in rows:
        if r["processes"] == "1" and r["threads"] == "2":
            base[r["workload"]] = float(r["samples_per_s"])
    print("| workload | processes x threads | overlap | samples/s (median) | vs 1x2 | allreduce wait ms/step (mean) "
          "| allreduce calls/step | bytes/step | gradient allreduce alone, ms | loss | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        rate, med = float(r["samples_per_s"]), float(r["samples_per_s_median"])
        ratio = rate / base[r["workload"]] if r["workload"] in base else float("nan")
        print(f"| {r['workload']} | {r['processes']} x {r['threads']} | {'on' if r['overlap'] == '1' else 'off'} "
              f"| {rate:,.0f} ({med:,.0f}) | {ratio:.2f} | {float(r['allreduce_wait_ms_per_step']):.3f} "
              f"({float(r['allreduce_wait_ms_per_step_mean']):.3f}) | {float(r['allreduce_calls_per_step']):.1f} "
              f"| {float(r['allreduce_bytes_per_step']):,.0f} | {float(r.get('gradient_allreduce_alone_ms', 0)):.3f} "
              f"| {float(r['loss']):.4g} | {r.get('load_average', '?')} |")


if __name__ == "__main__":
    main(sys.argv[1])
