"""PyTorch side of bench/bench_distributed.cpp: W1 or W2 trained with DistributedDataParallel (gloo, its
default bucketing and overlap) over the processes mpirun started (it reads OMPI_COMM_WORLD_RANK and
OMPI_COMM_WORLD_SIZE), or as one plain process. Same protocol as the xkeras side: a global batch of
--batch rows split in rank order, one epoch of --samples images per timed repeat without shuffling, after
5 warm-up steps; an epoch's time is the slowest rank's; rank 0 prints the RESULT line. Adam(1e-3, eps=1e-7).
Run with  mpirun -np 2 /usr/bin/python3 bench/torch_distributed.py --workload W1 --threads 1"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_common as tc  # noqa: E402  (sets the thread environment before torch loads)

args = tc.parse_args(__doc__, {("batch", "train"): 128, ("samples", "train"): 20000, ("workload", "train"): "W1"})
rank = int(os.environ.get("OMPI_COMM_WORLD_RANK", "0"))
size = int(os.environ.get("OMPI_COMM_WORLD_SIZE", "1"))
torch = tc.setup_torch(args)
import torch.distributed as dist  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torch_models  # noqa: E402

if size > 1:
    port = os.environ.get("XKERAS_TORCH_PORT", "29533")
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=size)

if args.workload == "W1":
    model, _, _ = torch_models.w1_autoencoder(args.width)
    images, _ = tc.load_fashion_mnist("train", args.samples)
    x = torch.from_numpy(images.reshape(-1, 784).astype("float32") / 255.0)
    y, loss_fn = x, F.mse_loss
else:
    model, _, _ = torch_models.w2_cnn()
    images, labels = tc.load_fashion_mnist("train", args.samples)
    x = torch.from_numpy(images.reshape(-1, 1, 28, 28).astype("float32") / 255.0)
    y, loss_fn = torch.from_numpy(labels.astype("int64")), F.cross_entropy
params = tc.count_params(model)
data_rss = tc.current_rss_mib()
if size > 1:
    model = torch.nn.parallel.DistributedDataParallel(model)  # broadcasts rank 0's weights
opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
model.train()

# This rank's rows of each global batch: the first rows % size ranks take one more (as xkeras's shard_rows).
batches = []
for start in range(0, args.samples, args.batch):
    rows = min(args.batch, args.samples - start)
    base, extra = divmod(rows, size)
    lo = start + rank * base + min(rank, extra)
    hi = lo + base + (1 if rank < extra else 0)
    if hi > lo:
        batches.append((x[lo:hi], y[lo:hi]))


def step(b):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(b[0]), b[1])
    loss.backward()
    opt.step()
    return loss.item()


for i in range(5):
    step(batches[i % len(batches)])
seconds, loss = [], 0.0
for _ in range(args.repeats):
    if size > 1:
        dist.barrier()
    t0 = time.perf_counter()
    loss = sum(step(b) for b in batches) / len(batches)
    elapsed = torch.tensor([time.perf_counter() - t0], dtype=torch.float64)
    if size > 1:
        dist.all_reduce(elapsed, op=dist.ReduceOp.MAX)  # the job is as fast as its slowest rank
    seconds.append(float(elapsed[0]))
if rank == 0:
    tc.print_result(args, args.width if args.workload == "W1" else "-", params, args.samples, seconds,
                    [("processes", size), ("overlap", "ddp"), ("steps", len(batches)), ("loss", tc.num(loss))],
                    data_rss)
if size > 1:
    dist.destroy_process_group()
