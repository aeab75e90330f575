"""Correct: HF-style eager attention on left-padded prompts: causal & padding keep mask, hidden
positions filled with finfo.min.  Padded queries have no key; they are uniform and unused."""
import torch
import torch.nn as nn

KIND = "correct"


class EagerAttention(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.heads, self.hd = heads, dim // heads
        self.q_proj, self.k_proj, self.v_proj = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.o_proj = nn.Linear(dim, dim)

    def forward(self, x, attention_mask):
        b, t, _ = x.shape
        q, k, v = (p(x).view(b, t, self.heads, self.hd).transpose(1, 2) for p in (self.q_proj, self.k_proj,
                                                                                    self.v_proj))
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        allowed = causal[None, None] & attention_mask[:, None, None, :].bool()
        scores = (q @ k.transpose(2, 3)) / self.hd ** 0.5
        scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
        out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1)
        return self.o_proj(out)


def run():
    torch.manual_seed(0)
    mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1], [0, 1, 1, 1, 1]])
    return EagerAttention()(torch.randn(3, 5, 16), mask)
