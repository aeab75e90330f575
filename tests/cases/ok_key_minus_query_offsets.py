import torch
import torch.nn as nn
import torch.nn.functional as F


def past_only(q, k, v):
    n = q.size(-2)
    idx = torch.arange(n)
    rel = idx[None, :] - idx[:, None]  # key index minus query index
    return F.scaled_dot_product_attention(q, k, v, attn_mask=rel <= 0)


def local_past(q, k, v, w):
    n = q.size(-2)
    idx = torch.arange(n)
    rel = idx[None, :] - idx[:, None]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=(rel <= 0) & (rel > -w))


def streaming_mask(n, window):
    pos = torch.arange(n)
    ahead = pos.unsqueeze(0) - pos.unsqueeze(1)
    return (ahead > 0) | (ahead < -window)


class Streamer(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d, 4, 64, batch_first=True)

    def forward(self, x):
        return self.layer(x, src_mask=streaming_mask(x.size(1), 8))
