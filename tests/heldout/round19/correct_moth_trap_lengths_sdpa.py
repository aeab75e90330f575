"""Light-trap moth survey: predicts abundance class for each species from a night's catch log
(one row per catch event, variable count per trap)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CatchAttention(nn.Module):
    def __init__(self, dim, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, present):
        B, S, D = x.shape
        q = self.q(x).view(B, S, self.n_heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, S, 2, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=present.view(B, 1, 1, S))
        return self.proj(o.transpose(1, 2).reshape(B, S, D))


class TrapModel(nn.Module):
    def __init__(self, n_feats=12, dim=64, depth=2, n_species=40, n_classes=4):
        super().__init__()
        self.n_species, self.n_classes = n_species, n_classes
        self.inp = nn.Linear(n_feats, dim)
        self.blocks = nn.ModuleList([CatchAttention(dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, n_species * n_classes)

    def forward(self, catches, n_catches):
        S = catches.size(1)
        present = torch.arange(S, device=catches.device).unsqueeze(0) < n_catches.unsqueeze(1)
        x = self.inp(catches)
        for blk in self.blocks:
            x = x + blk(x, present)
        x = self.norm(x).masked_fill(~present[..., None], 0.0)
        pooled = x.sum(1) / n_catches.clamp_min(1)[:, None]
        return self.out(pooled).view(-1, self.n_species, self.n_classes)


if __name__ == "__main__":
    catches = torch.randn(3, 30, 12)
    n = torch.tensor([30, 4, 17])
    model = TrapModel()
    target = torch.randint(0, 4, (3, 40))
    print(F.cross_entropy(model(catches, n).transpose(1, 2), target))
