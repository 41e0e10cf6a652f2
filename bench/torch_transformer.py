"""PyTorch side of W6: the 2-block Transformer encoder of bench/bench_transformer.cpp. Each block:
x + nn.MultiheadAttention(128, 4 heads, batch_first=True)(x, x, x) -> LayerNorm(eps=1e-3), then
h + Linear(256->128)(relu(Linear(128->256)(h))) -> LayerNorm(eps=1e-3) (post-norm, as the Keras
model); d_model 128, 64 steps, batch 32, MSE against random targets (B, 64, 128), Adam(1e-3, eps=1e-7).
Run with /usr/bin/python3 bench/torch_transformer.py [--mode ...] [--threads N] ..."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_common as tc  # noqa: E402  (sets the thread environment before torch loads)

args = tc.parse_args(__doc__, {("batch", "train"): 32, ("batch", "predict"): 32,
                               ("samples", "train"): 1024, ("samples", "predict"): 1024,
                               ("workload", "train"): "W6", ("workload", "predict"): "W6-predict"})
if "--warmup" not in " ".join(sys.argv):
    args.warmup = 5
torch = tc.setup_torch(args)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

STEPS, D, HEADS, KEY_DIM, FF, BLOCKS = 64, 128, 4, 32, 256, 2


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.mha = nn.MultiheadAttention(D, HEADS, batch_first=True)
        self.ln1 = nn.LayerNorm(D, eps=1e-3)
        self.ff1 = nn.Linear(D, FF)
        self.ff2 = nn.Linear(FF, D)
        self.ln2 = nn.LayerNorm(D, eps=1e-3)

    def forward(self, x):
        a, _ = self.mha(x, x, x, need_weights=False)
        h = self.ln1(x + a)
        return self.ln2(h + self.ff2(F.relu(self.ff1(h))))


model = nn.Sequential(*[Block() for _ in range(BLOCKS)])
g = torch.Generator().manual_seed(args.seed)
n = (args.samples // args.batch) * args.batch
x = torch.rand(n, STEPS, D, generator=g) * 2 - 1
y = torch.rand(n, STEPS, D, generator=g) * 2 - 1

# GEMM FLOPs per sample, as bench_transformer.cpp counts them.
inner = HEADS * KEY_DIM
proj = 2 * STEPS * D * inner * 3 + 2 * STEPS * inner * D
attn = 2 * (2 * STEPS * STEPS * inner)
ffn = 2 * STEPS * D * FF * 2
forward = BLOCKS * (proj + attn + ffn)
tc.run(args, torch, model, F.mse_loss, x, y, forward, 3 * forward, str(D))
