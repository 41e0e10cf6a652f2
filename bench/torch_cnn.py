"""PyTorch side of W2 (training) and W3 (inference): the seed-003 CNN as bench/bench_cnn.cpp builds
it. Conv 3x3 'same' with bias (stride 1: padding=1; stride 2: TF pads bottom/right only, so
F.pad(x, (0, 1, 0, 1)) then padding=0), BatchNorm2d(eps=1e-3, momentum=0.01) == Keras's
(momentum 0.99, epsilon 1e-3), Glorot-uniform kernels, zero biases, sparse CE from logits,
Adam(1e-3, eps=1e-7). NCHW (torch's default layout); Flatten order differs from Keras's NHWC,
the parameter count is the same. Run with /usr/bin/python3 bench/torch_cnn.py [--mode ...] ..."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_common as tc  # noqa: E402  (sets the thread environment before torch loads)

args = tc.parse_args(__doc__, {("batch", "train"): 128, ("batch", "predict"): 256,
                               ("samples", "train"): 6400, ("samples", "predict"): 10000,
                               ("workload", "train"): "W2", ("workload", "predict"): "W3-cnn"})
torch = tc.setup_torch(args)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class PadBottomRight(nn.Module):
    """TF 'same' padding for a 3x3 stride-2 window over an even size: one row/column after."""

    def forward(self, x):
        return F.pad(x, (0, 1, 0, 1))


def conv_bn_relu(c_in, c_out, stride):
    conv = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1 if stride == 1 else 0)
    nn.init.xavier_uniform_(conv.weight)
    nn.init.zeros_(conv.bias)
    layers = [PadBottomRight()] if stride == 2 else []
    return layers + [conv, nn.BatchNorm2d(c_out, eps=1e-3, momentum=0.01), nn.ReLU()]


def block(c_in, filters, pool):
    layers = conv_bn_relu(c_in, filters, 1) + conv_bn_relu(filters, filters, 1)
    return layers + (conv_bn_relu(filters, filters, 2) if pool else [])


head = nn.Linear(7 * 7 * 64, 10)
nn.init.xavier_uniform_(head.weight)
nn.init.zeros_(head.bias)
model = nn.Sequential(*block(1, 8, True), *block(8, 32, True), *block(32, 64, False), nn.Flatten(), head)

images, labels = tc.load_fashion_mnist("train" if args.mode == "train" else "t10k", args.samples)
x = torch.from_numpy(images.reshape(-1, 1, 28, 28).astype("float32") / 255.0)
y = torch.from_numpy(labels.astype("int64"))
del images, labels

# GEMM FLOPs per sample, counted as bench/workload_shapes.hpp does: (OH*OW, 9*Cin, Cout) per conv.
convs = [(784, 9, 8, False), (784, 72, 8, True), (196, 72, 8, True), (196, 72, 32, True),
         (196, 288, 32, True), (49, 288, 32, True), (49, 288, 64, True), (49, 576, 64, True),
         (1, 3136, 10, True)]
forward = sum(2 * m * k * n for m, k, n, _ in convs)
train = sum(2 * m * k * n * (3 if g else 2) for m, k, n, g in convs)
tc.run(args, torch, model, F.cross_entropy, x, y, forward, train, "-")
