"""A GPT block stack whose attention layers get a kwargs pre-hook that only moves tensors to the
layer's device (model split across GPUs, accelerate-style).  Buggy: the decoder never passes a
causal mask, so every token sees the future."""
import torch
import torch.nn as nn


def _to_device(module, args, kwargs):
    dev = next(module.parameters()).device
    return tuple(a.to(dev) for a in args), {k: (v.to(dev) if torch.is_tensor(v) else v) for k, v in kwargs.items()}


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]  # expect: ML401
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab=5000, dim=128, heads=4, layers=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(512, dim)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(layers)])
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.size(1), device=idx.device))
        for b in self.blocks:
            x = b(x)
        return self.head(x)

    @torch.no_grad()
    def generate(self, idx, steps):
        for _ in range(steps):
            nxt = self.forward(idx)[:, -1].argmax(-1, keepdim=True)
            idx = torch.cat([idx, nxt], 1)
        return idx


def place(model, devices):
    for i, b in enumerate(model.blocks):
        b.to(devices[i % len(devices)])
        b.attn.register_forward_pre_hook(_to_device, with_kwargs=True)
