"""Same-group masks (`ids[:, None] == ids[None, :]`) read with the wrong polarity: a denoising
group mask written for Paddle (True = attend) into nn.MultiheadAttention (Paddle3D PR#235, P1-8),
and a cross-document block mask into SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def group_mask(num_queries, num_groups, device=None):
    group = torch.arange(num_queries, device=device) // (num_queries // num_groups)
    return group[:, None] == group[None, :]  # True: same group


class DenoisingDecoderLayer(nn.Module):
    def __init__(self, d=256, heads=8, groups=4):
        super().__init__()
        self.groups = groups
        self.self_attn = nn.MultiheadAttention(d, heads)

    def forward(self, query):
        mask = group_mask(query.shape[0], self.groups, query.device)
        return self.self_attn(query, query, query, attn_mask=mask)[0]  # expect: ML101


def packed_attention(q, k, v, doc_ids):
    """doc_ids: (B, L) document index of each packed token."""
    other_doc = doc_ids[:, :, None] != doc_ids[:, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=other_doc[:, None])  # expect: ML102
