"""Turns the RESULT lines of scripts/bench_distributed.sh (one run, or several appended) into its tables.
Usage: python3 bench/report_distributed.py results.txt

Table 1, per side (xkeras, torch) and configuration: samples/s of the fastest epoch over all its runs and of the median epoch (an
epoch's time is the slowest rank's), each as a ratio to the same side's 1 process x 2 threads; the wall time per step a
rank waited for the gradient allreduce (median over runs, rank 0); allreduce calls and bytes per step per
rank; one allreduce of the gradient's size with every rank ready (the pure transfer).

Table 2, the scaling model of docs/distributed.md checked against the P-process runs (overlap off):
  predicted X(P) = B / (B / R(P) + t_ar(P))
R(P) = the summed median samples/s of P independent 1-thread processes run side by side (the compute the
machine gives P workers), t_ar(P) = the pure allreduce time above, B = the global batch.

Table 3: xkeras against PyTorch (DistributedDataParallel over gloo) per configuration, median epochs."""
import statistics
import sys
from collections import defaultdict
from report import parse  # bench/report.py: the RESULT line format


def rates(r):
    n = int(r["samples"])
    return [n / float(s) for s in r["pass_s"].split(",")]


def main(path):
    rows = [r for r in parse(path) if "processes" in r]
    runs, indep = defaultdict(list), defaultdict(list)
    for r in rows:
        if "independent" in r:
            indep[(r["workload"], int(r["independent"]))].append(r)
        else:
            runs[(r["workload"], r["side"], int(r["processes"]), int(r["threads"]), r["overlap"])].append(r)
    pooled = {k: [x for r in v for x in rates(r)] for k, v in runs.items()}
    print("| workload | side | processes x threads | overlap | fastest epoch, samples/s | vs 1x2 | median epoch | vs 1x2 "
          "| allreduce wait ms/step | calls/step | bytes/step | gradient allreduce alone, ms | epochs |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for k in sorted(runs, key=lambda k: (k[0], k[1] != "xkeras", k[2], -k[3], k[4])):
        w, side, p, t, ov = k
        base = next((v for kk, v in pooled.items() if kk[:2] == (w, side) and kk[2:4] == (1, 2)), None)
        fast, med = max(pooled[k]), statistics.median(pooled[k])
        first = runs[k][0]

        def col(key, fmt):
            if key not in first:
                return "-"
            return fmt.format(statistics.median(float(r[key]) for r in runs[k]))

        rf = f"{fast / max(base):.2f}" if base else "-"
        rm = f"{med / statistics.median(base):.2f}" if base else "-"
        overlap = {"1": "on", "0": "off"}.get(ov, ov)
        print(f"| {w} | {side} | {p} x {t} | {overlap} | {fast:,.0f} | {rf} | {med:,.0f} | {rm} "
              f"| {col('allreduce_wait_ms_per_step', '{:.2f}')} | {col('allreduce_calls_per_step', '{:.1f}')} "
              f"| {col('allreduce_bytes_per_step', '{:,.0f}')} | {col('gradient_allreduce_alone_ms', '{:.3f}')} "
              f"| {len(pooled[k])} |")
    if not indep:
        return
    print()
    print("| workload | P | R(P), samples/s | t_ar(P), ms | predicted X(P) | measured (median epoch) | measured / predicted |")
    print("|---|---|---|---|---|---|---|")
    for (w, n), group in sorted(indep.items()):
        by_round = defaultdict(float)  # each round's P processes, summed
        for i, r in enumerate(group):
            by_round[i // n] += float(r["samples_per_s_median"])
        R = statistics.median(by_round.values())
        k = (w, "xkeras", n, 1, "0")
        if k not in runs:
            continue
        batch = int(runs[k][0]["batch"])
        t_ar = statistics.median(float(r["gradient_allreduce_alone_ms"]) for r in runs[k]) / 1e3
        predicted = batch / (batch / R + t_ar)
        measured = statistics.median(pooled[k])
        print(f"| {w} | {n} | {R:,.0f} | {t_ar * 1e3:.3f} | {predicted:,.0f} | {measured:,.0f} | {measured / predicted:.2f} |")
    torch = {k: v for k, v in pooled.items() if k[1] == "torch"}
    if not torch:
        return
    print()
    print("| workload | processes x threads | xkeras median epoch | torch median epoch | xkeras / torch |")
    print("|---|---|---|---|---|")
    for (w, _, p, t, _), v in sorted(torch.items()):
        mine = pooled.get((w, "xkeras", p, t, "0"))
        if mine:
            a, b = statistics.median(mine), statistics.median(v)
            print(f"| {w} | {p} x {t} | {a:,.0f} | {b:,.0f} | {a / b:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1])
