"""Turns the RESULT lines of one scripts/bench_load.sh run into its table.
Usage: python3 bench/report_load.py results.txt   (prints a Markdown table and the target verdicts)

Each line carries condition=quiet|loaded (added by the script) and pass_s (every timed pass). Per
workload and side, for 1 thread, 2 threads and the library's default: samples/s of the fastest pass
over all rounds, and in parentheses the median pass; for the default, the thread counts it used.
"others" = cores that other processes kept busy during the timed passes (each program reads
/proc/stat), averaged over the quiet runs / the loaded runs: ~0 and ~1 when the run was clean.
Targets (the issue's, for xkeras; torch's ratios are shown for comparison):
  loaded default / quiet 1T >= 0.5   (a busy core must not ruin the default)
  quiet default / quiet 2T >= 0.9    (the contention check must cost little on a quiet machine)
Ratios use the fastest passes; the median-pass ratio follows in parentheses.
A run disturbed by a third process (others_cores above 0.25 quiet, above 1.25 with the spinner) is
left out of its cell when the same cell has an undisturbed run, and listed under the table."""
import statistics
import sys
from collections import defaultdict
from report import parse  # bench/report.py: the RESULT line format

TARGETS = (("loaded default / quiet 1T", ("loaded", "default"), ("quiet", "1"), 0.5),
           ("pinned default / quiet 1T", ("pinned", "default"), ("quiet", "1"), 0.5),
           ("quiet default / quiet 2T", ("quiet", "default"), ("quiet", "2"), 0.9))
CONDITIONS = ("quiet", "loaded", "pinned")  # pinned: the competing process pinned to one CPU



def main(path):
    cells = defaultdict(list)    # (workload, side, condition, threads) -> rates of every pass
    used = defaultdict(set)      # same key -> thread counts reported
    others = defaultdict(list)   # (workload, side, condition) -> other processes' cores per run
    rows = [r for r in parse(path) if "condition" in r and r.get("mode") == "train"]

    def disturbed(r):
        return float(r.get("others_cores", -1)) > (0.25 if r["condition"] == "quiet" else 1.25)

    clean_keys = {(r["workload"], r["side"], r["condition"], r["threads"]) for r in rows if not disturbed(r)}
    dropped = []
    for r in rows:
        key = (r["workload"], r["side"], r["condition"], r["threads"])
        if disturbed(r) and key in clean_keys:
            dropped.append(f"{r['workload']} {r['side']} {r['condition']} threads={r['threads']} round "
                           f"{r.get('round', '?')}: others {float(r['others_cores']):.2f} cores, "
                           f"{float(r['samples_per_s']):,.0f} samples/s")
            continue
        samples = float(r["samples"])
        passes = r.get("pass_s", r["min_s"]).split(",")
        cells[key] += [samples / float(s) for s in passes]
        used[key].add(r.get("threads_used", "?"))
        if float(r.get("others_cores", -1)) >= 0:
            others[key[:3]].append(float(r["others_cores"]))

    def stat(key):
        rates = cells.get(key)
        return (max(rates), statistics.median(rates)) if rates else (None, None)

    def cell(key):
        best, med = stat(key)
        if best is None:
            return "-"
        text = f"{best:,.0f} ({med:,.0f})"
        if key[3] == "default":
            text += " [" + "/".join(sorted(used[key])) + "T]"
        return text

    conds = [c for c in CONDITIONS if any(k[2] == c for k in cells)]
    cols = [(c, t) for c in conds for t in ("1", "2", "default")]
    targets = [t for t in TARGETS if t[1][0] in conds]
    print("| workload | side | " + " | ".join(f"{c} {t if t == 'default' else t + 'T'}" for c, t in cols) +
          " | " + " | ".join(f"{name} (≥ {goal})" for name, _, _, goal in targets) +
          " | others " + " / ".join(conds) + " |")
    print("|---|---|" + "---|" * (len(cols) + len(targets) + 1))
    verdicts = []
    keys = sorted({(k[0], k[1]) for k in cells}, key=lambda k: (k[0], k[1] != "xkeras", k[1]))
    for wl, side in keys:
        row = [cell((wl, side) + c) for c in cols]
        for name, num, den, goal in targets:
            (nb, nm), (db, dm) = stat((wl, side) + num), stat((wl, side) + den)
            if None in (nb, db):
                row.append("-")
                continue
            ratio, ratio_med = nb / db, nm / dm
            verdict = "PASS" if ratio >= goal else "FAIL"
            row.append(f"{ratio:.2f} ({ratio_med:.2f}) {verdict if side == 'xkeras' else ''}".strip())
            if side == "xkeras":
                verdicts.append(f"{wl} xkeras {name} = {ratio:.2f} (target ≥ {goal}): {verdict}")
        row.append(" / ".join(f"{statistics.mean(others[(wl, side, c)]):.2f}" if others[(wl, side, c)] else "-"
                              for c in conds))
        print(f"| {wl} | {side} | " + " | ".join(row) + " |")
    print()
    print("samples/s: fastest pass (median pass) over all rounds; [nT] = threads the default used")
    for d in dropped:
        print("left out (disturbed by another process):", d)
    for v in verdicts:
        print(v)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/dev/stdin")
