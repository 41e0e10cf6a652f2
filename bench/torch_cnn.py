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
import torch.nn.functional as F  # noqa: E402
import torch_models  # noqa: E402

model, forward, train = torch_models.w2_cnn()

images, labels = tc.load_fashion_mnist("train" if args.mode == "train" else "t10k", args.samples)
x = torch.from_numpy(images.reshape(-1, 1, 28, 28).astype("float32") / 255.0)
y = torch.from_numpy(labels.astype("int64"))
del images, labels

tc.run(args, torch, model, F.cross_entropy, x, y, forward, train, "-")
