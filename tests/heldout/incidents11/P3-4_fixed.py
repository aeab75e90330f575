import warnings

import torch
import torch.nn as nn

warnings.filterwarnings("ignore", message=".*mismatched key_padding_mask and attn_mask.*")


class SpatialBiasAttention(nn.Module):
    """Self attention over agents with a learned, per-sample pairwise distance bias."""

    def __init__(self, embed_dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)
        self.dist_proj = nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 1))

    def pairwise_bias(self, positions):
        dist = torch.cdist(positions, positions).unsqueeze(-1)
        return self.dist_proj(dist).squeeze(-1)

    def forward(self, x, positions, key_padding_mask):
        bias = self.pairwise_bias(positions)
        attn_mask = bias.repeat_interleave(self.num_heads, dim=0)
        out, _ = self.mha(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    N, L, E, H = 3, 5, 16, 2
    layer = SpatialBiasAttention(E, H)
    x = torch.randn(N, L, E)
    positions = torch.randn(N, L, 2) * torch.tensor([[[1.0]], [[4.0]], [[0.3]]])
    kpm = torch.zeros(N, L, dtype=torch.bool)
    kpm[1, -2:] = True
    results = {}
    for mode in ("train", "eval"):
        getattr(layer, mode)()
        with torch.no_grad():
            batched = layer(x, positions, kpm)
            worst = 0.0
            for i in range(N):
                alone = layer(x[i:i + 1], positions[i:i + 1], kpm[i:i + 1])
                worst = max(worst, (batched[i] - alone[0]).abs().max().item())
        results[mode] = worst
    print(f"batched vs per-sample output (train / eval): {results['train']:.3e} / {results['eval']:.3e}")
