"""PyTorch side of W5: Embedding(20000, 128) -> LSTM(128) -> Linear(1) + sigmoid, as
bench/bench_lstm.cpp builds it: sequences of length 200, batch 64, binary crossentropy,
Adam(1e-3, eps=1e-7). nn.LSTM(batch_first=True); the last step's h feeds the head (Keras's
return_sequences=False). `--input tokens` (the default, matching bench_lstm's) is W5 itself;
`--input float` feeds the LSTM a float (N, 200, 128) input instead of token ids (W5-float). Run with
/usr/bin/python3 bench/torch_lstm.py [--mode ...] [--input float|tokens] ..."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_common as tc  # noqa: E402  (sets the thread environment before torch loads)

# PyTorch's LSTM backward runs into denormal floats here: with them (torch's default) a training step of
# batch 64 took 3.6 s at 1 thread, flushed 0.2 s (14:14 UTC, quiet machine). We race the faster
# PyTorch: flushed unless --keep-denormals (which shows the default). xkeras flushes nothing.
FLUSH = "--keep-denormals" not in sys.argv
if not FLUSH:
    sys.argv.remove("--keep-denormals")

INPUT = "tokens"
if "--input" in sys.argv:  # ours; torch_common's parser does not know it
    i = sys.argv.index("--input")
    INPUT = sys.argv[i + 1]
    del sys.argv[i:i + 2]
if INPUT not in ("float", "tokens"):
    sys.exit("--input must be float or tokens")

args = tc.parse_args(__doc__, {("batch", "train"): 64, ("batch", "predict"): 64,
                               ("samples", "train"): 640, ("samples", "predict"): 1280,
                               ("workload", "train"): "W5" if INPUT == "tokens" else "W5-float",
                               ("workload", "predict"): "W5-predict" if INPUT == "tokens" else "W5-float-predict"})
if args.warmup == 20:  # torch_common's default is for the image workloads; ours is bench_lstm's
    args.warmup = 3
torch = tc.setup_torch(args)
torch.set_flush_denormal(FLUSH)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

VOCAB, LEN, DIM, UNITS = 20000, 200, 128, 128


class LastLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, DIM) if INPUT == "tokens" else None
        self.lstm = nn.LSTM(DIM, UNITS, batch_first=True)
        self.head = nn.Linear(UNITS, 1)

    def forward(self, x):
        if self.embed is not None:
            x = self.embed(x)
        _, (h, _) = self.lstm(x)
        return torch.sigmoid(self.head(h[-1]))


model = LastLSTM()
g = torch.Generator().manual_seed(args.seed)
if INPUT == "tokens":
    x = torch.randint(1, VOCAB, (args.samples, LEN), generator=g)
else:
    x = torch.rand((args.samples, LEN, DIM), generator=g) * 2 - 1
y = torch.randint(0, 2, (args.samples, 1), generator=g).float()

forward = LEN * 2 * (DIM + UNITS) * 4 * UNITS + 2 * UNITS
tc.run(args, torch, model, F.binary_cross_entropy, x, y, forward, 3 * forward, INPUT if FLUSH else INPUT + "-denormals")
