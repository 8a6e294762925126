"""DCGAN-28 training steps/s in PyTorch (CPU), the same model and step as aigc's default Trainer
on `dcgan()` at batch 64 (bench/run.mjs's "dcgan" row), for goal 2 of issue 17.

  python3 bench/pytorch/dcgan.py [--threads 2] [--batch 64] [--rounds 5] [--window 2] [--warmup 3] [--json out.json]

Debian: `apt-get install python3-torch` (PyTorch 1.13.1). `--threads` sets torch.set_num_threads
(default: PyTorch's own, one per core); run it once with 1 and once with 2 beside
`npm run bench -- --backends wasm,wasm-1 --models dcgan` on the same idle machine.

Model (packages/core/src/models/dcgan.ts, defaults: latent 100, 64 filters, kernel 5, 28x28x1):
  G: z(100) -> Linear 7*7*128 (no bias) -> BatchNorm -> LeakyReLU 0.2 -> reshape 128x7x7
     -> ConvTranspose 64 k5 s2 (no bias) -> BatchNorm -> LeakyReLU 0.2 -> ConvTranspose 1 k5 s2 -> tanh
  D: Conv 64 k5 s2 -> LeakyReLU 0.2 -> Conv 128 k5 s2 -> LeakyReLU 0.2 -> Flatten -> Linear 1 (logit)
  Weights N(0, 0.02), biases 0. BatchNorm as tfjs-layers' defaults: eps 1e-3, momentum 0.99
  (PyTorch's momentum=0.01). tfjs' 'same' padding of the stride-2 convolutions is asymmetric
  (1 before, 2 after on 28 -> 14); PyTorch pads 2 on both sides: the same shapes and FLOPs.
Step (packages/core/src/training/gan/updates.ts, the Trainer's defaults): one D update, then one
G update; z ~ N(0, 1) fresh for each; fakes for D from G in training mode, detached; non-saturating
loss: D: mean(softplus(-D(x))) + mean(softplus(D(G(z)))), G: mean(softplus(-D(G(z)))); Adam(2e-4,
beta1 0.5, beta2 0.999, eps 1e-7) for both. Data: a fixed random set of 2048 images in [-1, 1], shuffled
batches of 64. Timing: interleaving is moot (one loop), so medians of `--rounds` windows of about
`--window` seconds after `--warmup` steps, as bench/lib/measure.mjs does.
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument('--threads', type=int, default=0, help='torch.set_num_threads (0: PyTorch default)')
p.add_argument('--batch', type=int, default=64)
p.add_argument('--rounds', type=int, default=5)
p.add_argument('--window', type=float, default=2.0)
p.add_argument('--warmup', type=int, default=3)
p.add_argument('--json', default=None)
a = p.parse_args()
if a.threads > 0:
    torch.set_num_threads(a.threads)
torch.manual_seed(1)

Z = 100


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(Z, 7 * 7 * 128, bias=False)
        self.bn0 = nn.BatchNorm1d(7 * 7 * 128, eps=1e-3, momentum=0.01)
        self.up1 = nn.ConvTranspose2d(128, 64, 5, stride=2, padding=2, output_padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64, eps=1e-3, momentum=0.01)
        self.up2 = nn.ConvTranspose2d(64, 1, 5, stride=2, padding=2, output_padding=1)

    def forward(self, z):
        x = F.leaky_relu(self.bn0(self.fc(z)), 0.2).view(-1, 128, 7, 7)
        x = F.leaky_relu(self.bn1(self.up1(x)), 0.2)
        return torch.tanh(self.up2(x))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 64, 5, stride=2, padding=2)
        self.c2 = nn.Conv2d(64, 128, 5, stride=2, padding=2)
        self.fc = nn.Linear(128 * 7 * 7, 1)

    def forward(self, x):
        x = F.leaky_relu(self.c1(x), 0.2)
        x = F.leaky_relu(self.c2(x), 0.2)
        return self.fc(x.flatten(1))


def init(m):
    if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)


G, D = Generator(), Discriminator()
G.apply(init)
D.apply(init)
G.train()
D.train()
optG = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
optD = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
data = torch.rand(2048, 1, 28, 28) * 2 - 1
order = torch.randperm(2048)
cursor = 0


def batch():
    global cursor, order
    if cursor + a.batch > 2048:
        order, cursor = torch.randperm(2048), 0
    idx = order[cursor:cursor + a.batch]
    cursor += a.batch
    return data[idx]


def step():
    real = batch()
    # D update: fakes from G in training mode, as constants.
    with torch.no_grad():
        fake = G(torch.randn(a.batch, Z))
    optD.zero_grad(set_to_none=True)
    d_loss = F.softplus(-D(real)).mean() + F.softplus(D(fake)).mean()
    d_loss.backward()
    optD.step()
    # G update through D: only G's weight gradients (aigc's tf.variableGrads over G's variables
    # skips D's weight gradients; bench/lib/models.mjs counts the FLOPs the same way).
    for q in D.parameters():
        q.requires_grad_(False)
    optG.zero_grad(set_to_none=True)
    g_loss = F.softplus(-D(G(torch.randn(a.batch, Z)))).mean()
    g_loss.backward()
    optG.step()
    for q in D.parameters():
        q.requires_grad_(True)
    return float(d_loss), float(g_loss)


for _ in range(a.warmup):
    step()
t0 = time.perf_counter()
step()
one = time.perf_counter() - t0
per_window = max(1, round(a.window / one))
rates = []
for _ in range(a.rounds):
    t0 = time.perf_counter()
    for _ in range(per_window):
        losses = step()
    rates.append(per_window / (time.perf_counter() - t0))
result = {
    'torch': torch.__version__,
    'threads': torch.get_num_threads(),
    'cores': os.cpu_count(),
    'loadAvgStart': os.getloadavg(),
    'batch': a.batch,
    'stepsPerSec': statistics.median(rates),
    'windows': rates,
    'stepsPerWindow': per_window,
    'lastLosses': losses,
}
print(json.dumps(result))
if a.json:
    with open(a.json, 'w') as f:
        json.dump(result, f, indent=2)
