import torch
import torch.nn as nn
import torch.nn.functional as F


class PointSetAttention(nn.Module):
    """Attention over a variable-size set of points, calling the functional MHA kernel directly."""

    def __init__(self, embed_dim=8, num_heads=2, dropout=0.0):
        super().__init__()
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, points, valid):
        # points: (S, N, E) sequence-first, valid: (S, N) bool, True = real point
        key_padding_mask = ~valid.transpose(0, 1)
        out, _ = F.multi_head_attention_forward(
            points, points, points, self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias, None, None, False, self.dropout,
            self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=False)
        return out


def run():
    attn = PointSetAttention()
    points = torch.randn(5, 2, 8)
    valid = torch.tensor([[True, True], [True, True], [True, True], [True, False], [True, False]])
    return attn(points, valid)
