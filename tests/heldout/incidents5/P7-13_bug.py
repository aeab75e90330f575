"""Attention kernels used by the AMP training loop (plain functions + a closure factory)."""
import math

import torch
import torch.nn as nn


def masked_attention(q, k, v, mask):
    """mask: (B, 1, 1, S), 1 = token, 0 = padding."""
    scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(mask == 0, -1e10)  # BUG
    return torch.matmul(torch.softmax(scores, dim=-1), v)


def make_mha(d_model, heads):
    proj = nn.ModuleList(nn.Linear(d_model, d_model) for _ in range(4))

    def mha(x, mask):
        b, t, _ = x.shape
        q, k, v = (p(x).view(b, t, heads, -1).transpose(1, 2) for p in proj[:3])
        out = masked_attention(q, k, v, mask)
        return proj[3](out.transpose(1, 2).reshape(b, t, d_model))

    return mha, proj


def amp_step(mha, params, x, mask, target, dtype=torch.float16):
    for p in params.parameters():
        p.data = p.data.to(dtype)
    out = mha(x.to(dtype), mask)
    return nn.functional.mse_loss(out.float(), target)


def padding_mask(lengths, T):
    return (torch.arange(T)[None, :] < lengths[:, None])[:, None, None, :].long()


if __name__ == "__main__":
    torch.manual_seed(0)
    mha, params = make_mha(16, 4)
    x, target = torch.randn(2, 5, 16), torch.randn(2, 5, 16)
    mask = padding_mask(torch.tensor([5, 3]), 5)
    print("loss:", amp_step(mha, params, x, mask, target).item())
