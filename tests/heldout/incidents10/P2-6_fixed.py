"""PARSeq-style permutation-language-model decoder: the content/query
streams use nn.MultiheadAttention with permutation masks and a bool padding
mask.  The float (-inf) permutation masks mixed with the bool padding mask
trigger torch's deprecation warning (results are still correct)."""
import math
import warnings

import torch
from torch import nn


class DecoderLayer(nn.Module):
    def __init__(self, d_model=16, nhead=2):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, query, content, query_mask=None, content_key_padding_mask=None):
        out, _ = self.self_attn(query, content, content, attn_mask=query_mask,
                                key_padding_mask=content_key_padding_mask)
        return self.norm(query + out)


def generate_attn_masks(perm):
    """Masks for one permutation: True/-inf = the position may not be attended."""
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz), dtype=torch.bool)
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1:]
        mask[query_idx, masked_keys] = True
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(sz, dtype=torch.bool)] = True
    query_mask = mask[1:, :-1]
    return content_mask, query_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = DecoderLayer()
    perm = torch.tensor([0, 2, 1, 3, 4])
    content_mask, query_mask = generate_attn_masks(perm)
    content = torch.randn(2, 4, 16)
    pos_queries = torch.randn(2, 4, 16)
    tgt_padding_mask = torch.tensor([[False, False, False, True], [False] * 4])
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        out = layer(pos_queries, content, query_mask=query_mask, content_key_padding_mask=tgt_padding_mask)
    n = sum("mismatched key_padding_mask" in str(w.message) for w in rec)
    print("mismatched-mask warnings:", n, "| NaN:", bool(out.isnan().any()))
