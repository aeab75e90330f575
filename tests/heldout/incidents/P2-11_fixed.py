import math
from typing import Optional

import torch
from torch import Tensor
from torch.nn import Linear, Module


class PairwiseMultiheadAttention(Module):
    """Multi-head attention over peaks with an additive pairwise (peak-difference) bias.

    Inputs are (L, N, E) as in torch.nn.MultiheadAttention; key_padding_mask is (N, S), True = padded peak.
    """

    def __init__(self, embed_dim, num_heads, pairwise_dim=4):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj = Linear(embed_dim, 3 * embed_dim)
        self.pair_proj = Linear(pairwise_dim, num_heads)
        self.out_proj = Linear(embed_dim, embed_dim)

    def forward(self, x: Tensor, pairwise_features: Tensor, key_padding_mask: Optional[Tensor] = None):
        tgt_len, bsz, embed_dim = x.shape
        src_len = tgt_len
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q = q.contiguous().view(tgt_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(src_len, bsz * self.num_heads, self.head_dim).transpose(0, 1)

        attn_mask = None
        if key_padding_mask is not None:
            attn_mask = key_padding_mask.view(bsz, 1, 1, src_len).expand(-1, self.num_heads, -1, -1)
            attn_mask = attn_mask.reshape(bsz * self.num_heads, 1, src_len)
            new_attn_mask = torch.zeros_like(attn_mask, dtype=q.dtype)
            new_attn_mask.masked_fill_(attn_mask, float("-inf"))
            attn_mask = new_attn_mask

        # pairwise_features: (N, L, S, pairwise_dim) -> (N * H, L, S)
        pair_bias = self.pair_proj(pairwise_features).permute(0, 3, 1, 2).reshape(bsz * self.num_heads, tgt_len, src_len)
        attn = torch.bmm(q / math.sqrt(self.head_dim), k.transpose(-2, -1)) + pair_bias
        if attn_mask is not None:
            attn += attn_mask
        attn = torch.softmax(attn, dim=-1)
        out = torch.bmm(attn, v).transpose(0, 1).contiguous().view(tgt_len, bsz, embed_dim)
        return self.out_proj(out), attn.view(bsz, self.num_heads, tgt_len, src_len)


def run():
    mha = PairwiseMultiheadAttention(embed_dim=8, num_heads=2)
    peaks = torch.randn(5, 2, 8)
    mz = torch.rand(2, 5)
    pairwise = torch.stack([mz[:, :, None] - mz[:, None, :]] * 4, dim=-1)
    key_padding_mask = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])
    return mha(peaks, pairwise, key_padding_mask=key_padding_mask)
