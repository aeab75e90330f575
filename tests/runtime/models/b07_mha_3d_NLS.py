"""Buggy: (N, L, S) attention mask into MHA (needs (N*H, L, S)); batch_first=False, training."""
import torch
import torch.nn as nn

KIND = "buggy"


class SetAttention(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(E, H)

    def forward(self, x, lengths):  # x: (L, N, E)
        L, N, _ = x.shape
        pad = torch.arange(L)[None, :] >= lengths[:, None]
        mask = pad[:, None, :].expand(N, L, L)
        out, _ = self.attn(x, x, x, attn_mask=mask)  # expect: ML301
        return out


def _setup():
    torch.manual_seed(0)
    return SetAttention().train(), torch.randn(6, 3, 16), torch.tensor([6, 4, 2])


def run():
    m, x, lengths = _setup()
    try:
        return (m(x, lengths),)
    except Exception as e:
        return (f"{type(e).__name__}: {e}",)


def verify():
    m, x, lengths = _setup()
    try:
        m(x, lengths)
    except Exception as e:
        return True, f"torch raised {type(e).__name__}: {str(e)[:90]}"
    return False, "no error"
