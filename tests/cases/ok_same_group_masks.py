"""Same-group masks with the polarity each API reads (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def group_mask(num_queries, num_groups, device=None):
    group = torch.arange(num_queries, device=device) // (num_queries // num_groups)
    return group[:, None] != group[None, :]  # True: another group, hidden


class DenoisingDecoderLayer(nn.Module):
    def __init__(self, d=256, heads=8, groups=4):
        super().__init__()
        self.groups = groups
        self.self_attn = nn.MultiheadAttention(d, heads)

    def forward(self, query):
        mask = group_mask(query.shape[0], self.groups, query.device)
        return self.self_attn(query, query, query, attn_mask=mask)[0]


def packed_causal_attention(q, k, v, doc_ids):
    n = doc_ids.size(1)
    same_doc = doc_ids[:, :, None] == doc_ids[:, None, :]
    causal = torch.ones(n, n, dtype=torch.bool, device=q.device).tril()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=(same_doc & causal)[:, None])
