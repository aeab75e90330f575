"""Eager attention that stores the keep-mask on self in set_inputs() and fills with the dtype's min."""
import torch
import torch.nn as nn


class EagerAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.keep = None

    def set_inputs(self, attention_mask):
        T = attention_mask.size(1)
        causal = torch.ones(T, T, dtype=torch.bool, device=attention_mask.device).tril()
        self.keep = attention_mask.bool()[:, None, None, :] & causal

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) * (C // self.heads) ** -0.5
        scores = scores.masked_fill(~self.keep, torch.finfo(scores.dtype).min)
        probs = scores.softmax(-1)
        return self.o((probs @ v).transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = EagerAttention()
    x = torch.randn(2, 4, 32)
    am = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    m.set_inputs(am)
    ref = m(x)
    m.half().set_inputs(am)
    out = m(x.half())
    assert not torch.isnan(out).any() and torch.allclose(out.float(), ref, atol=2e-2)
    print("fp16 fill ok")
