"""PyTorch side of W1 / W4 (training) and W3 (inference): the seed-004 autoencoder, exactly as
bench/bench_autoencoder.cpp builds it (Glorot-uniform kernels, zero biases, Adam(1e-3, 0.9, 0.999,
eps=1e-7: torch adds eps after the bias correction, Keras before; same value), MSE, no shuffling).
Run with /usr/bin/python3 bench/torch_autoencoder.py [--mode train|predict] [--threads N] ..."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_common as tc  # noqa: E402  (sets the thread environment before torch loads)

args = tc.parse_args(__doc__, {("batch", "train"): 128, ("batch", "predict"): 256,
                               ("samples", "train"): 20000, ("samples", "predict"): 10000,
                               ("workload", "train"): "W1", ("workload", "predict"): "W3-autoencoder"})
torch = tc.setup_torch(args)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class L2Normalize(nn.Module):
    """Keras's l2_normalize(axis=1): x / sqrt(max(sum(x^2), 1e-12)) == x / max(||x||, 1e-6)."""

    def forward(self, x):
        return F.normalize(x, p=2.0, dim=1, eps=1e-6)


def dense(i, o):
    layer = nn.Linear(i, o)
    nn.init.xavier_uniform_(layer.weight)  # Keras's glorot_uniform: limit sqrt(6 / (in + out))
    nn.init.zeros_(layer.bias)
    return layer


w = args.width
model = nn.Sequential(dense(784, w), nn.ReLU(), dense(w, 64), nn.ReLU(), L2Normalize(),
                      dense(64, w), nn.ReLU(), dense(w, 784), nn.Sigmoid())

images, _ = tc.load_fashion_mnist("train" if args.mode == "train" else "t10k", args.samples)
x = torch.from_numpy(images.reshape(-1, 784).astype("float32") / 255.0)
del images

# GEMM FLOPs per sample, counted as bench/workload_shapes.hpp does.
dims = [(784, w), (w, 64), (64, w), (w, 784)]
forward = sum(2 * i * o for i, o in dims)
train = 3 * forward - 2 * 784 * w
tc.run(args, torch, model, F.mse_loss, x, x, forward, train, w)
