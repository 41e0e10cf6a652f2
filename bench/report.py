"""Turns the RESULT lines of one scripts/bench.sh run into the comparison tables.
Usage: python3 bench/report.py results.txt   (prints Markdown tables)

W1/W2/W3/W5 table (W5: the LSTM, bench_lstm / torch_lstm.py; W5-float feeds it floats instead of an Embedding): samples/s (from each side's fastest repeat) at 1 and 2 threads, ratio = our best /
torch's best, our GEMM GFLOP/s at our best thread count, OpenBLAS's and oneDNN's sgemm GFLOP/s on the
same shapes at that thread count (xkeras's Dense layers call oneDNN's unless XKERAS_GEMM=openblas; the
row "xkeras on OpenBLAS" is such a run), peak RSS of each side's process (in parentheses: its RSS once data and model
were ready, before the first step -> its RSS after the timed run; the peak can come from loading the
data), and each side's loss (mean batch loss of
the last timed pass). W4 table: microseconds per sample for each width x batch."""
import sys
from collections import defaultdict


def parse(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("RESULT "):
                rows.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
    return rows


def fmt(v, digits=3):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def rss_cell(r):
    """'peak (before first step→at end)', or just the peak for results without the two extra fields."""
    if r is None:
        return "-"
    peak = fmt(float(r["peak_rss_mib"]))
    if "data_rss_mib" not in r or "end_rss_mib" not in r:
        return peak
    return f"{peak} ({fmt(float(r['data_rss_mib']))}→{fmt(float(r['end_rss_mib']))})"


def best(rows):
    """The row with the highest samples/s among `rows` (or None)."""
    return max(rows, key=lambda r: float(r["samples_per_s"]), default=None)


def main(path):
    rows = parse(path)
    runs = defaultdict(list)    # (side, workload, width, batch) -> rows
    sgemm = {}                  # (workload, width, batch, threads) -> row
    for r in rows:
        if r["side"] == "sgemm":
            sgemm[(r.get("library", "openblas"), r["workload"], r["width"], r["batch"], r["threads"])] = r
        elif r["threads"].isdigit():  # `--threads default` runs belong to scripts/bench_load.sh's table
            runs[(r["side"], r["workload"], r["width"], r["batch"])].append(r)

    def sps(side, wl, width, batch, threads):
        for r in runs.get((side, wl, width, batch), []):
            if r["threads"] == str(threads):
                return float(r["samples_per_s"])
        return None

    def sg(lib, wl, width, batch, threads):
        r = sgemm.get((lib, wl, width, batch, threads))
        return float(r["gflops"]) if r else None

    print("| workload | xkeras 1T | xkeras 2T | torch 1T | torch 2T | ratio | xkeras GFLOP/s | sgemm GFLOP/s "
          "OpenBLAS / oneDNN | peak RSS MiB (before 1st step→at end) xkeras / torch | loss xkeras / torch |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    order = ["W1", "W2", "W3-autoencoder", "W3-cnn", "W5", "W5-predict", "W5-float", "W5-float-predict"]
    keys = sorted({k[1:] for k in runs if k[1] in order}, key=lambda k: order.index(k[0]))
    for wl, width, batch in keys:
        theirs = best(runs.get(("torch", wl, width, batch), []))
        for side, suffix in (("xkeras", ""), ("xkeras-openblas", ", xkeras on OpenBLAS")):
            ours = best(runs.get((side, wl, width, batch), []))
            if ours is None:
                continue
            ratio = float(ours["samples_per_s"]) / float(theirs["samples_per_s"]) if theirs else None
            sgs = "-"
            if wl in ("W1", "W2"):
                sgs = " / ".join(fmt(sg(lib, wl, width, batch, ours["threads"])) for lib in ("openblas", "onednn"))
            rss = " / ".join(rss_cell(r) for r in (max(runs.get((s_, wl, width, batch), []),
                                                        key=lambda r: float(r["peak_rss_mib"]), default=None)
                                                    for s_ in (side, "torch")))
            loss = " / ".join(r.get("loss", "-") if r else "-" for r in (ours, theirs)) if wl in ("W1", "W2", "W5", "W5-float") else "-"
            label = f"{wl} (batch {batch}{suffix})"
            cells = [fmt(sps(s_, wl, width, batch, t)) for s_ in (side, "torch") for t in (1, 2)]
            gf = f"{fmt(float(ours['gflops']))} ({ours['threads']}T)"
            print(f"| {label} | " + " | ".join(cells) + f" | {fmt(ratio)} | {gf} | {sgs} | {rss} | {loss} |")

    w4 = sorted({(int(k[2]), int(k[3])) for k in runs if k[1] == "W4"})
    if w4:
        print()
        print("| W4 width x batch | xkeras us/sample (1T / 2T) | torch us/sample (1T / 2T) | ratio | "
              "xkeras GFLOP/s | sgemm GFLOP/s OpenBLAS / oneDNN |")
        print("|---|---|---|---|---|---|")
        for width, batch in w4:
            w, b = str(width), str(batch)
            us = {(side, t): sps(side, "W4", w, b, t) for side in ("xkeras", "torch") for t in (1, 2)}
            cell = lambda side: " / ".join(fmt(1e6 / us[(side, t)]) if us[(side, t)] else "-" for t in (1, 2))
            ours, theirs = best(runs.get(("xkeras", "W4", w, b), [])), best(runs.get(("torch", "W4", w, b), []))
            ratio = float(ours["samples_per_s"]) / float(theirs["samples_per_s"]) if ours and theirs else None
            sgs = " / ".join(fmt(sg(lib, "W1", w, b, ours["threads"])) for lib in ("openblas", "onednn")) if ours else "-"
            print(f"| {width} x {batch} | {cell('xkeras')} | {cell('torch')} | {fmt(ratio)} | "
                  f"{fmt(float(ours['gflops'])) if ours else '-'} | {sgs} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/dev/stdin")
