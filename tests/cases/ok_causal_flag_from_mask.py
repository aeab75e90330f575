"""`is_causal = mask is None` where the mask already holds the causal part (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attend(q, k, v, mask=None, causal=False):
    if mask is not None:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)


class DecoderBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, pad=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        mask = None
        if pad is not None:
            causal = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
            mask = causal[None, None] & pad[:, None, None, :]
        y = attend(q, k, v, mask, causal=mask is None)
        return y.transpose(1, 2).reshape(b, t, d)


def always_causal(q, k, v, pad=None, causal=True):
    t = q.size(-2)
    keep = torch.ones(t, t, dtype=torch.bool, device=q.device).tril()
    if pad is not None:
        keep = keep & pad[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


class Block2(nn.Module):
    def forward(self, q, k, v, pad=None):
        return always_causal(q, k, v, pad, causal=pad is None)


def sdpa_attention(q, k, v, attention_mask=None):
    is_causal = attention_mask is None and q.shape[2] > 1
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, is_causal=is_causal)


def smoke():
    q = torch.randn(2, 4, 5, 8)
    pad = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]).bool()[:, None, None, :]
    causal = torch.ones(5, 5, dtype=torch.bool).tril()
    return sdpa_attention(q, q, q, pad & causal), sdpa_attention(q, q, q)
