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
import torch.nn.functional as F  # noqa: E402
import torch_models  # noqa: E402

w = args.width
model, forward, train = torch_models.w1_autoencoder(w)

images, _ = tc.load_fashion_mnist("train" if args.mode == "train" else "t10k", args.samples)
x = torch.from_numpy(images.reshape(-1, 784).astype("float32") / 255.0)
del images

tc.run(args, torch, model, F.mse_loss, x, x, forward, train, w)
