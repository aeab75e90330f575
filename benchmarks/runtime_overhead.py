"""Overhead of ``masklint.instrument()`` on a real transformer: a training step and an eval pass.

Model: ``nn.TransformerEncoder`` (``--model manual``: hand-written masked_fill attention of the
same size) (default 6 layers, d_model 256, 8 heads, ff 1024, batch 16,
seq 128, batch_first) with a correct causal mask and key padding mask.  "train": a whole
training step (forward with dropout, a loss, backward, an SGD step); "eval": a forward under
``no_grad`` (the C++ fast path).  For each mode:

* the first instrumented call at the call site (content checks run there) against a plain call;
* steady state: blocks of ``--iters`` steps (train) or forwards (eval), plain and instrumented (default ``warn`` mode),
  interleaved ``--repeats`` times after warm-up; the ratio of the medians is the overhead.
  (Instrumenting is switched on and off between blocks, outside the timed region.)

    .venv/bin/python benchmarks/runtime_overhead.py [--repeats 15 --iters 5 --threads 2]

It measures and prints; it asserts nothing.  The bar (DESIGN.md section 7): ratio <= 1.05.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings

import torch
from torch import nn

import masklint


class ManualLayer(nn.Module):
    """Hand-written attention (``scores.masked_fill(mask, -inf)``, checked by masklint's
    Tensor.masked_fill wrapper) with a feed-forward block."""

    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.qkv, self.out = heads, nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.n1, self.n2, self.drop = nn.LayerNorm(d), nn.LayerNorm(d), nn.Dropout(0.1)

    def forward(self, x, hidden):
        b, t, d = x.shape
        q, k, v = self.qkv(self.n1(x)).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) * (d // self.heads) ** -0.5
        scores = scores.masked_fill(hidden, float("-inf"))
        y = (self.drop(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.drop(self.out(y))
        return x + self.drop(self.ff(self.n2(x)))


class ManualStack(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.layers = nn.ModuleList(ManualLayer(args.d_model, args.heads) for _ in range(args.layers))

    def forward(self, x, mask=None, src_key_padding_mask=None):
        hidden = mask[None, None] | src_key_padding_mask[:, None, None, :]
        for layer in self.layers:
            x = layer(x, hidden)
        return x


def build(args):
    if args.model == "manual":
        x = torch.randn(args.batch, args.seq, args.d_model, device=args.device)
        lengths = torch.randint(args.seq // 2, args.seq + 1, (args.batch,), device=args.device)
        kpm = torch.arange(args.seq, device=args.device)[None] >= lengths[:, None]
        mask = torch.ones(args.seq, args.seq, dtype=torch.bool, device=args.device).triu(1)
        return ManualStack(args).to(args.device), x, mask, kpm
    layer = nn.TransformerEncoderLayer(args.d_model, args.heads, 4 * args.d_model, dropout=0.1,
                                       batch_first=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = nn.TransformerEncoder(layer, args.layers, enable_nested_tensor=False).to(args.device)
    x = torch.randn(args.batch, args.seq, args.d_model, device=args.device)
    lengths = torch.randint(args.seq // 2, args.seq + 1, (args.batch,), device=args.device)
    kpm = torch.arange(args.seq, device=args.device)[None] >= lengths[:, None]  # True = padding
    mask = torch.ones(args.seq, args.seq, dtype=torch.bool, device=args.device).triu(1)  # True = hidden
    return model, x, mask, kpm


def forward(model, x, mask, kpm):
    out = model(x, mask=mask, src_key_padding_mask=kpm)
    if out.is_cuda:
        torch.cuda.synchronize()
    return out


def timed(fn, iters):
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - start) / iters


class CheckClock:
    """Time spent inside masklint's checks (wrappers included), summed: a direct, noise-free view
    of the overhead that the ratio of medians measures end to end."""

    def __init__(self):
        from masklint.runtime import patching

        self.patching, self.inner, self.total, self.calls = patching, patching._checked, 0.0, 0

    def __enter__(self):
        def clocked(*a, **k):
            start = time.perf_counter()
            try:
                return self.inner(*a, **k)
            finally:
                self.total += time.perf_counter() - start
                self.calls += 1

        self.patching._checked = clocked
        return self

    def __exit__(self, *exc):
        self.patching._checked = self.inner


def measure(mode, args):
    model, x, mask, kpm = build(args)
    model.train(mode == "train")
    grad = torch.enable_grad() if mode == "train" else torch.no_grad()
    opt = torch.optim.SGD(model.parameters(), lr=1e-5)

    def run():
        out = forward(model, x, mask, kpm)
        if mode == "train":  # a whole step: the backward and the optimizer run while instrumented too
            loss = out.float().pow(2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if out.is_cuda:
                torch.cuda.synchronize()

    with grad:
        for _ in range(args.warmup):
            run()
        first_plain = timed(run, 1)
        with masklint.instrument(mode=args.mode) as session:
            first_checked = timed(run, 1)  # content checks at this call site
        plain, checked = [], []
        clock = CheckClock()
        for _ in range(args.repeats):
            plain.append(timed(run, args.iters))
            with masklint.instrument(mode=args.mode):
                run()  # warm-up: the first call of a session checks content
                with clock:
                    checked.append(timed(run, args.iters))
    assert not session.findings, session.report()  # the benchmark's masks are correct
    p, c = statistics.median(plain), statistics.median(checked)
    in_checks = clock.total / (args.repeats * args.iters)
    return {"mode": mode, "plain_ms": 1e3 * p, "instrumented_ms": 1e3 * c, "ratio": c / p,
            "checks_ms_per_forward": 1e3 * in_checks, "checks_ratio": 1 + in_checks / p,
            "wrapped_calls_per_forward": clock.calls / (args.repeats * args.iters),
            "first_call_plain_ms": 1e3 * first_plain, "first_call_instrumented_ms": 1e3 * first_checked}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=11, help="interleaved plain/instrumented blocks")
    ap.add_argument("--iters", type=int, default=2, help="training steps (train) or forwards (eval) per timed block")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave)")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--mode", default="warn", choices=("warn", "collect", "raise"))
    ap.add_argument("--model", default="encoder", choices=("encoder", "manual"),
                    help="nn.TransformerEncoder, or hand-written masked_fill attention")
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, device {args.device}, threads {torch.get_num_threads()}, {args.model}, "
          f"{args.layers} layers d_model {args.d_model} batch {args.batch} seq {args.seq}, "
          f"median of {args.repeats} blocks x {args.iters} steps or forwards")
    rows = [measure(m, args) for m in ("train", "eval")]
    print(f"{'mode':6} {'plain ms':>10} {'instr. ms':>10} {'ratio':>7} {'checks ms':>10} {'checks ratio':>13} "
          f"{'wrapped calls':>14} {'1st plain':>10} {'1st instr.':>11}")
    for r in rows:
        print(f"{r['mode']:6} {r['plain_ms']:10.2f} {r['instrumented_ms']:10.2f} {r['ratio']:7.3f} "
              f"{r['checks_ms_per_forward']:10.4f} {r['checks_ratio']:13.5f} {r['wrapped_calls_per_forward']:14.0f} "
              f"{r['first_call_plain_ms']:10.2f} {r['first_call_instrumented_ms']:11.2f}")
    print("ratio: median instrumented / median plain step (train: forward, backward, optimizer step; eval: "
          "forward), end to end, machine noise included;\n"
          "checks ratio: 1 + time inside masklint's wrappers per step / median plain step.")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"args": vars(args), "results": rows}, fh, indent=2)


if __name__ == "__main__":
    main()
