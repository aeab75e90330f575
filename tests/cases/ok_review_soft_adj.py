"""Point-cloud / molecule transformer: a soft adjacency from distances (Gaussian kernel) used as
an additive log-prior on attention; torch MHA takes a float attn_mask as added to the scores."""
import torch
import torch.nn as nn


class DistanceBiasedAttention(nn.Module):
    def __init__(self, d=64, h=4, sigma=1.5):
        super().__init__()
        self.h, self.sigma = h, sigma
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)
        self.edge_scale = nn.Linear(1, h)

    def forward(self, x, pos):
        dist = torch.cdist(pos, pos)                       # (B, N, N)
        adj = torch.exp(-(dist / self.sigma) ** 2)         # soft adjacency in (0, 1]
        bias = torch.log(adj.clamp_min(1e-4))              # additive: 0 for neighbours, <0 far away
        bias = bias.repeat_interleave(self.h, dim=0)
        return self.mha(x, x, x, attn_mask=bias, need_weights=False)[0]


class LearnedAdjacency(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)
        self.pair = nn.Bilinear(d, d, h)

    def forward(self, x):
        B, N, D = x.shape
        adj = self.pair(x[:, :, None].expand(B, N, N, D).reshape(-1, D),
                        x[:, None].expand(B, N, N, D).reshape(-1, D)).view(B, N, N, self.h)
        adj = adj.permute(0, 3, 1, 2).reshape(B * self.h, N, N)  # a learned float bias per head
        return self.mha(x, x, x, attn_mask=adj, need_weights=False)[0]


if __name__ == "__main__":
    x, pos = torch.randn(2, 7, 64), torch.randn(2, 7, 3)
    print(DistanceBiasedAttention()(x, pos).shape, LearnedAdjacency()(x).shape)
