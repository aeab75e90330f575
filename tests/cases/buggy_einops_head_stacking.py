"""Per-sample masks stacked over heads with einops in head-major order, for nn.MultiheadAttention,
which reads a 3-D mask as [b * num_heads + h]."""
import torch
import torch.nn as nn
from einops import rearrange, repeat


class PairEncoder(nn.Module):
    def __init__(self, d=64, heads=8):
        super().__init__()
        self.num_heads = heads
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, valid):
        blocked = ~(valid[:, :, None] & valid[:, None, :])
        mask = repeat(blocked, "b l s -> (h b) l s", h=self.num_heads)
        return self.attn(x, x, x, attn_mask=mask)[0]  # expect: ML302


class GraphLayer(nn.Module):
    def __init__(self, d=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.mha = nn.MultiheadAttention(d, n_heads, batch_first=True)

    def forward(self, h, adj):
        bias = torch.zeros_like(adj, dtype=h.dtype).masked_fill(adj == 0, float("-inf"))
        per_head = bias.unsqueeze(1).expand(-1, self.n_heads, -1, -1)
        flat = rearrange(per_head, "b h n m -> (h b) n m")
        return self.mha(h, h, h, attn_mask=flat)[0]  # expect: ML302


def pair_mask(lengths, width, num_heads):
    pad = torch.arange(width)[None, :] >= lengths[:, None]
    pairs = pad[:, None, :] | pad[:, :, None]
    return repeat(pairs, "n i j -> (heads n) i j", heads=num_heads)


class Tagger(nn.Module):
    def __init__(self, d=32, nhead=4):
        super().__init__()
        self.nhead = nhead
        self.mha = nn.MultiheadAttention(d, nhead, batch_first=True)

    def forward(self, x, lengths):
        return self.mha(x, x, x, attn_mask=pair_mask(lengths, x.size(1), self.nhead))[0]  # expect: ML302
