"""Hybrid state-space / attention LM (Jamba-like): gated conv "SSM" mixers with an
occasional causal attention layer. The causal bias is shared in additive form."""
import math

import torch
import torch.nn as nn


def causal_bias(T, device=None):
    """Additive bias: 0 where allowed, -inf above the diagonal."""
    return torch.full((T, T), float("-inf"), device=device).triu(1)


class GatedConvMixer(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.conv = nn.Conv1d(d, d, 4, groups=d)
        self.gate = nn.Linear(d, d)

    def forward(self, x):
        y = self.conv(nn.functional.pad(x.transpose(1, 2), (3, 0))).transpose(1, 2)
        return y * torch.sigmoid(self.gate(x))


class EagerCausalAttention(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        bias = causal_bias(T, x.device)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        scores = scores + (1.0 - bias) * torch.finfo(scores.dtype).min  # expect: ML207
        self.probs = scores.softmax(-1)
        return self.o((self.probs @ v).transpose(1, 2).reshape(B, T, D))


class HybridLM(nn.Module):
    def __init__(self, vocab=64, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.mixers = nn.ModuleList([GatedConvMixer(d), EagerCausalAttention(d), GatedConvMixer(d)])
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        h = self.emb(ids)
        for m in self.mixers:
            h = h + m(h)
        return self.head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = HybridLM()
    lm(torch.randint(0, 64, (1, 6)))
    p = lm.mixers[1].probs[0, 0]
    uniform = torch.tril(torch.ones(6, 6)) / torch.arange(1, 7)[:, None]
    print("FAILURE SHOWN: attention is content-blind (uniform over the prefix):",
          torch.allclose(p, uniform, atol=1e-6))
