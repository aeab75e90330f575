"""BEVFormer temporal self-attention wrapper, ported from the mmcv/torch version.

The inner attention follows the convention of the framework the model was ported
to: a boolean ``attn_mask`` marks the positions that MAY be attended (True = keep).
The wrapper keeps the torch-style arguments so existing configs keep working.
"""
import torch
import torch.nn.functional as F
from torch import nn


class _AttendStyleMultiHeadAttention(nn.Module):
    """Stand-in for the target framework's MultiHeadAttention (bool mask: True = attend)."""

    def __init__(self, embed_dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, query, key, value, attn_mask=None):
        b, n, e = query.shape
        q, k, v = self.q_proj(query), self.k_proj(key), self.v_proj(value)
        q, k, v = (t.view(b, -1, self.num_heads, e // self.num_heads).transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.out_proj(out.transpose(1, 2).reshape(b, n, e))


class MultiheadAttention(nn.Module):
    def __init__(self, embed_dims, num_heads, batch_first=False):
        super().__init__()
        self.batch_first = batch_first
        self.attn = _AttendStyleMultiHeadAttention(embed_dims, num_heads)

    def forward(self, query, key=None, value=None, identity=None, attn_mask=None, key_padding_mask=None):
        key = query if key is None else key
        value = key if value is None else value
        identity = query if identity is None else identity
        if not self.batch_first:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        # attn_mask comes from the torch-era config: bool (num_query, num_key), True = not allowed
        if attn_mask is not None:
            attn_mask = attn_mask.logical_not()
        out = self.attn(query, key, value, attn_mask=attn_mask)
        if not self.batch_first:
            out = out.transpose(0, 1)
        return identity + out


if __name__ == "__main__":
    torch.manual_seed(0)
    num_query, bs, dims = 6, 2, 16
    layer = MultiheadAttention(dims, num_heads=4).eval()
    query = torch.randn(num_query, bs, dims)
    # torch-style mask: each query may only look at queries of its own group of 3
    group = torch.arange(num_query) // 3
    attn_mask = group[:, None] != group[None, :]
    out = layer(query, attn_mask=attn_mask)
    q2 = query.clone()
    q2[3:] = torch.randn(3, bs, dims)  # change group 1 only
    out2 = layer(q2, attn_mask=attn_mask)
    print(out.shape)
    print("group-0 change after editing group 1:", (out2 - out)[:3].abs().max().item())
