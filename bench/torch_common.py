"""Shared plumbing of the PyTorch side of the benchmark (mirrors bench/common.hpp): options,
threads, Fashion-MNIST loading, the timing protocol and the RESULT line format.

Thread count: OPENBLAS_NUM_THREADS and OMP_NUM_THREADS are set from --threads *before* torch is
imported (Debian's torch calls the system OpenBLAS for Linear layers and OpenMP/oneDNN for the
rest), then torch.set_num_threads(n). Import this module before torch. `--threads default` sets
neither (torch's own default; the caller leaves both variables unset); the RESULT line then
records torch.get_num_threads().
"""
import argparse
import gzip
import os
import resource
import struct
import sys
import time


def parse_args(description, defaults):
    """--mode, --threads, --batch, --samples, --warmup, --repeats, --workload, --seed (+ --width).
    `defaults` maps (option, mode) -> default, e.g. {("batch", "train"): 128}."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--mode", choices=["train", "predict"], default="train")
    p.add_argument("--threads", type=_threads, default=1, help="N >= 1, or 'default' (torch's own choice)")
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--batch", type=int)
    p.add_argument("--samples", type=int)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--workload")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    for key in ("batch", "samples", "workload"):
        if getattr(a, key) is None:
            setattr(a, key, defaults[(key, a.mode)])
    if a.width < 1 or a.batch < 1 or a.samples < a.batch or a.warmup < 0 or a.repeats < 1:
        p.error("bad options")
    if a.threads != "default":
        # Before `import torch`: OpenBLAS and OpenMP read these when the libraries load.
        os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)
        os.environ["OMP_NUM_THREADS"] = str(a.threads)
    return a


def _threads(v):
    if v == "default":
        return v
    n = int(v)
    if n < 1:
        raise argparse.ArgumentTypeError("expected a positive count or 'default'")
    return n


def setup_torch(args):
    import torch
    if args.threads != "default":
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    return torch


def _read_idx(path, limit):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = list(struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim]))
    dims[0] = min(dims[0], limit)
    count = 1
    for d in dims:
        count *= d
    import numpy as np
    return np.frombuffer(data, dtype=np.uint8, count=count, offset=4 + 4 * ndim).reshape(dims)


def load_fashion_mnist(split, limit):
    """(images (N, 28, 28) uint8, labels (N,) uint8) of 'train' or 't10k', the first `limit`."""
    d = os.environ.get("XKERAS_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
    return (_read_idx(f"{d}/{split}-images-idx3-ubyte.gz", limit),
            _read_idx(f"{d}/{split}-labels-idx1-ubyte.gz", limit))


def _cpu_sample():
    """(wall, busy CPU-seconds of every CPU we may run on, this process's CPU-seconds), as
    xkeras's src/cpu_contention.cpp reads them; None without /proc."""
    try:
        cpus = os.sched_getaffinity(0)
        busy = 0
        with open("/proc/stat") as f:
            for line in f:
                if line.startswith("cpu") and line[3].isdigit():
                    v = line.split()
                    if int(v[0][3:]) in cpus:
                        busy += sum(int(v[i]) for i in (1, 2, 3, 6, 7, 8))
        return time.perf_counter(), busy / os.sysconf("SC_CLK_TCK"), time.process_time()
    except (OSError, ValueError, IndexError):
        return None


OTHERS = {"cores": -1.0}  # cores other processes kept busy during the last time_repeats


def time_repeats(repeats, body):
    seconds = []
    before = _cpu_sample()
    for _ in range(repeats):
        t0 = time.perf_counter()
        body()
        seconds.append(time.perf_counter() - t0)
    after = _cpu_sample()
    if before and after and after[0] - before[0] > 0.05:
        OTHERS["cores"] = max(0.0, ((after[1] - before[1]) - (after[2] - before[2])) / (after[0] - before[0]))
    return seconds


def num(v):
    return "%.6g" % v


def count_params(model):
    """Parameters plus BatchNorm running statistics (Keras's count_params counts the
    non-trainable moving_mean / moving_variance too; num_batches_tracked is not a weight)."""
    n = sum(p.numel() for p in model.parameters())
    n += sum(b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked"))
    return n


def current_rss_mib():
    """Resident set size now, in MiB (/proc/self/statm), as bench::current_rss_mib."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024.0 * 1024.0)
    except (OSError, ValueError, IndexError):
        return 0.0


def print_result(args, width, params, samples, seconds, extra, data_rss):
    smin = min(seconds)
    smed = sorted(seconds)[len(seconds) // 2] if len(seconds) % 2 else \
        0.5 * (sorted(seconds)[len(seconds) // 2 - 1] + sorted(seconds)[len(seconds) // 2])
    import torch
    used = torch.get_num_threads()
    fields = [("side", "torch"), ("workload", args.workload), ("threads", args.threads), ("threads_used", used),
              ("thread_mode", "auto" if args.threads == "default" else "fixed"), ("mode", args.mode),
              ("width", width), ("batch", args.batch), ("params", params),
              ("blas_threads", torch.get_num_threads()), ("samples", samples), ("repeats", len(seconds)),
              ("min_s", num(smin)), ("median_s", num(smed)), ("samples_per_s", num(samples / smin)),
              ("samples_per_s_median", num(samples / smed)), ("pass_s", ",".join(num(s) for s in seconds)),
              ("others_cores", num(OTHERS["cores"])),
              ("peak_rss_mib", num(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)),
              ("data_rss_mib", num(data_rss)), ("end_rss_mib", num(current_rss_mib())),
              ("coretype", os.environ.get("OPENBLAS_CORETYPE") or "unset")] + list(extra)
    print("RESULT " + " ".join(f"{k}={v}" for k, v in fields))
    sys.stdout.flush()


def run(args, torch, model, loss_fn, x, y, flops_forward, flops_train, width):
    """The protocol of bench/bench_*.cpp: train = warm-up steps, then timed passes over the same
    batches (loss = mean batch loss of the last pass); predict = one warm-up on 1024 images, then
    timed passes over all of x in batches, outputs concatenated. data_rss = RSS before the first step."""
    data_rss = current_rss_mib()
    if args.mode == "train":
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
        steps = args.samples // args.batch
        xb = [x[i * args.batch:(i + 1) * args.batch] for i in range(steps)]
        yb = [y[i * args.batch:(i + 1) * args.batch] for i in range(steps)]
        model.train()

        def step(i):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb[i]), yb[i])
            loss.backward()
            opt.step()
            return loss.item()

        for i in range(args.warmup):
            step(i % steps)
        state = {}

        def one_pass():
            losses = [step(i) for i in range(steps)]
            state["loss"], state["last"] = sum(losses) / steps, losses[-1]

        seconds = time_repeats(args.repeats, one_pass)
        samples = steps * args.batch
        extra = [("steps", steps), ("loss", num(state["loss"])), ("last_loss", num(state["last"])),
                 ("gflop_per_sample", num(flops_train / 1e9)),
                 ("gflops", num(flops_train * samples / min(seconds) / 1e9))]
    else:
        model.eval()
        out = {}

        def predict(data):
            with torch.no_grad():
                return torch.cat([model(data[i:i + args.batch]) for i in range(0, data.shape[0], args.batch)])

        predict(x[:1024])
        seconds = time_repeats(args.repeats, lambda: out.__setitem__("y", predict(x)))
        samples = x.shape[0]
        extra = [("output_mean", num(out["y"].mean().item())), ("gflop_per_sample", num(flops_forward / 1e9)),
                 ("gflops", num(flops_forward * samples / min(seconds) / 1e9))]
    print_result(args, width, count_params(model), samples, seconds, extra, data_rss)
