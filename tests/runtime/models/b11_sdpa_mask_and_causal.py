"""Buggy: SDPA given both attn_mask and is_causal=True (raises on the math backend, silently ANDed on CPU default). P4-8."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class PaddedCausalAttn(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.qkv = nn.Linear(E, 3 * E)

    def forward(self, x, keep):
        N, L, E = x.shape
        q, k, v = self.qkv(x).view(N, L, 3, self.H, E // self.H).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :], is_causal=True)  # expect: ML403


def _setup():
    torch.manual_seed(0)
    m = PaddedCausalAttn().train()
    x = torch.randn(3, 6, 16)
    keep = torch.arange(6)[None, :] < torch.tensor([6, 4, 5])[:, None]
    return m, x, keep


def run():
    m, x, keep = _setup()
    return (m(x, keep),)


def verify():
    from torch.nn.attention import SDPBackend, sdpa_kernel
    m, x, keep = _setup()
    try:
        with sdpa_kernel(SDPBackend.MATH):
            m(x, keep)
        raised = "no error on MATH"
    except RuntimeError as e:
        raised = f"MATH backend raises: {str(e)[:70]}"
    return raised.startswith("MATH"), raised + "; default CPU backend silently applies causal AND mask"
