"""The same einops stackings in batch-major order, [b * num_heads + h], as nn.MultiheadAttention
reads them; and a head-major stacking for code that indexes it that way itself."""
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
        mask = repeat(blocked, "b l s -> (b h) l s", h=self.num_heads)
        return self.attn(x, x, x, attn_mask=mask)[0]


class GraphLayer(nn.Module):
    def __init__(self, d=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.mha = nn.MultiheadAttention(d, n_heads, batch_first=True)

    def forward(self, h, adj):
        bias = torch.zeros_like(adj, dtype=h.dtype).masked_fill(adj == 0, float("-inf"))
        per_head = bias.unsqueeze(1).expand(-1, self.n_heads, -1, -1)
        return self.mha(h, h, h, attn_mask=rearrange(per_head, "b h n m -> (b h) n m"))[0]


class HeadMajor(nn.Module):
    """Scores laid out (heads * batch, L, S) by the code itself: the head-major mask matches."""

    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, pad):
        q, k, v = rearrange(self.qkv(x), "b l (t h e) -> t (h b) l e", t=3, h=self.heads)
        mask = repeat(pad, "b s -> (h b) 1 s", h=self.heads)
        scores = (q @ k.transpose(1, 2)).masked_fill(mask, float("-inf"))
        return rearrange(scores.softmax(-1) @ v, "(h b) l e -> b l (h e)", h=self.heads)


def folded_heads_sdpa(q, k, v, keep, heads):
    """SDPA over heads folded into the batch: a (heads * batch, L, S) mask in the same order is right."""
    q, k, v = (rearrange(t, "b n (h d) -> (h b) n d", h=heads) for t in (q, k, v))
    m = repeat(keep, "b j -> (h b) i j", h=heads, i=q.shape[1])
    out = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=m)
    return rearrange(out, "(h b) n d -> b n (h d)", h=heads)
