"""Buggy: additive mask hard-cast to float16 while the queries are bfloat16. P2-13 / P2-9."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class BF16Attn(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.qkv = nn.Linear(E, 3 * E).to(torch.bfloat16)

    def forward(self, x):
        N, L, E = x.shape
        q, k, v = self.qkv(x).view(N, L, 3, self.H, E // self.H).permute(2, 0, 3, 1, 4)
        bias = torch.zeros(L, L).masked_fill(torch.ones(L, L, dtype=torch.bool).triu(1), float("-inf")).to(torch.float16)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML604


def _setup():
    torch.manual_seed(0)
    return BF16Attn().eval(), torch.randn(2, 6, 16, dtype=torch.bfloat16)


def run():
    m, x = _setup()
    try:
        with torch.no_grad():
            return (m(x),)
    except Exception as e:
        return (f"{type(e).__name__}: {e}",)


def verify():
    m, x = _setup()
    try:
        with torch.no_grad():
            m(x)
    except Exception as e:
        return True, f"torch raised {type(e).__name__}: {str(e)[:90]}"
    return False, "no error"
