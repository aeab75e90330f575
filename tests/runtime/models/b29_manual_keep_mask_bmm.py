"""Buggy: bmm attention over (B, L, S) scores fills the tokenizer's keep mask (1 = real token)
with -inf in place, so full-length samples get NaN rows and padded ones attend only to padding."""
import torch
import torch.nn as nn

KIND = "buggy"


class PoolingAttention(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.scale = dim ** -0.5

    def forward(self, x, attention_mask):
        k, v = self.kv(x).chunk(2, dim=-1)
        logits = torch.bmm(self.q(x), k.transpose(1, 2)) * self.scale
        logits.masked_fill_(attention_mask.bool().unsqueeze(1), float("-inf"))  # expect: ML101
        return torch.bmm(logits.softmax(dim=-1), v)


def _batch():
    torch.manual_seed(0)
    lengths = [7, 4, 5]
    keep = torch.zeros(3, 7, dtype=torch.long)
    for i, n in enumerate(lengths):
        keep[i, :n] = 1
    return torch.randn(3, 7, 16), keep


def run():
    torch.manual_seed(0)
    model = PoolingAttention()
    x, keep = _batch()
    return model(x, keep)
