"""The PyTorch models of the training workloads, built as bench/workload_models.hpp builds xkeras's, with
their GEMM FLOPs per sample counted as bench/workload_shapes.hpp does. Import after torch_common (which sets
the thread environment before torch loads)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class L2Normalize(nn.Module):
    """Keras's l2_normalize(axis=1): x / sqrt(max(sum(x^2), 1e-12)) == x / max(||x||, 1e-6)."""

    def forward(self, x):
        return F.normalize(x, p=2.0, dim=1, eps=1e-6)


def dense(i, o):
    layer = nn.Linear(i, o)
    nn.init.xavier_uniform_(layer.weight)  # Keras's glorot_uniform: limit sqrt(6 / (in + out))
    nn.init.zeros_(layer.bias)
    return layer


def w1_autoencoder(w):
    """(model, forward GEMM FLOPs per sample, training FLOPs per sample) of W1 with hidden width w."""
    model = nn.Sequential(dense(784, w), nn.ReLU(), dense(w, 64), nn.ReLU(), L2Normalize(),
                          dense(64, w), nn.ReLU(), dense(w, 784), nn.Sigmoid())
    dims = [(784, w), (w, 64), (64, w), (w, 784)]
    forward = sum(2 * i * o for i, o in dims)
    return model, forward, 3 * forward - 2 * 784 * w


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


def w2_cnn():
    """(model, forward GEMM FLOPs per sample, training FLOPs per sample) of W2 (NCHW)."""
    head = nn.Linear(7 * 7 * 64, 10)
    nn.init.xavier_uniform_(head.weight)
    nn.init.zeros_(head.bias)
    model = nn.Sequential(*block(1, 8, True), *block(8, 32, True), *block(32, 64, False), nn.Flatten(), head)
    # (OH*OW, 9*Cin, Cout, needs the input gradient) per conv, then the head.
    convs = [(784, 9, 8, False), (784, 72, 8, True), (196, 72, 8, True), (196, 72, 32, True),
             (196, 288, 32, True), (49, 288, 32, True), (49, 288, 64, True), (49, 576, 64, True),
             (1, 3136, 10, True)]
    forward = sum(2 * m * k * n for m, k, n, _ in convs)
    train = sum(2 * m * k * n * (3 if g else 2) for m, k, n, g in convs)
    return model, forward, train
