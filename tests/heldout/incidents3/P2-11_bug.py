import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class PeakSelfAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.o = nn.Linear(d_model, d_model)

    def forward(self, x, key_padding_mask=None):
        """key_padding_mask: (B, N) bool, True = padded peak."""
        B, N, _ = x.shape
        split = lambda t: t.view(B, N, self.n_heads, self.d_head).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d_head)
        if key_padding_mask is not None:
            keep = (~key_padding_mask)[:, None, None, :]  # BUG
            scores = scores * keep  # BUG
        attn = scores.softmax(dim=-1)
        return self.o((attn @ v).transpose(1, 2).reshape(B, N, -1))


class SpectrumEncoder(nn.Module):
    def __init__(self, d_in=2, d_model=64, n_heads=4, n_layers=2, n_bits=256):
        super().__init__()
        self.embed = nn.Linear(d_in, d_model)
        self.layers = nn.ModuleList(PeakSelfAttention(d_model, n_heads) for _ in range(n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(n_layers))
        self.fingerprint = nn.Linear(d_model, n_bits)

    def forward(self, peaks, attention_mask):
        pad = attention_mask == 0
        h = self.embed(peaks)
        for attn, norm in zip(self.layers, self.norms):
            h = norm(h + attn(h, key_padding_mask=pad))
        w = attention_mask.unsqueeze(-1).to(h.dtype)
        return self.fingerprint((h * w).sum(1) / w.sum(1).clamp(min=1.0))


def training_step(model, batch, optimizer):
    model.train()
    logits = model(batch["peaks"], batch["attention_mask"])
    loss = F.binary_cross_entropy_with_logits(logits, batch["fingerprint"].float())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return {"loss": loss.item()}
