"""0/1 float masks (the future, the padded frames) summed into one, then read as bool or clamped."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def frame_padding(lengths, total):
    return (torch.arange(total, device=lengths.device)[None, :] >= lengths[:, None]).float()


def streaming_mask(lengths, total):
    future = 1 - torch.tril(torch.ones(total, total, device=lengths.device))
    return (future[None] + frame_padding(lengths, total)[:, None, :]).clamp(max=1)


def attend_sdpa(q, k, v, lengths):
    hidden = streaming_mask(lengths, q.size(-2)).bool()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hidden[:, None])  # expect: ML102


def attend_summed(q, k, v, lengths):
    n = q.size(-2)
    ahead = torch.triu(torch.ones(n, n), diagonal=1)
    blocked = (ahead + frame_padding(lengths, n)[:, None, :]).bool()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=blocked.unsqueeze(1))  # expect: ML102


class Layer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, lengths):
        mask = streaming_mask(lengths, x.size(1)).repeat_interleave(self.heads, 0)
        return self.mha(x, x, x, attn_mask=mask)[0]  # expect: ML202
