import torch
import torch.nn as nn
import torch.nn.functional as F


class PointAttention(nn.Module):
    """Self-attention over point tokens with the weights held as plain parameters."""

    def __init__(self, embed_dim=64, num_heads=8):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, x, key_padding_mask=None):
        # x: (S, N, E)
        out, _ = F.multi_head_attention_forward(
            x, x, x,
            self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias,
            None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,  # BUG
            need_weights=False,
        )
        return out


def pad_points(clouds):
    max_pts = max(c.shape[0] for c in clouds)
    feats = torch.zeros(max_pts, len(clouds), clouds[0].shape[1])
    pad = torch.ones(max_pts, len(clouds), dtype=torch.bool)  # BUG
    for i, c in enumerate(clouds):
        feats[: c.shape[0], i] = c
        pad[: c.shape[0], i] = False  # BUG
    return feats, pad


if __name__ == "__main__":
    attn = PointAttention()
    clouds = [torch.randn(n, 64) for n in (200, 150, 180, 90, 200, 120)]
    x, pad = pad_points(clouds)
    print(attn(x, key_padding_mask=pad).shape)
