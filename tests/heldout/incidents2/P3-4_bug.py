import torch
import torch.nn as nn


class StructuralBiasEncoderLayer(nn.Module):
    def __init__(self, d_model: int = 128, num_heads: int = 8, dropout: float = 0.1):
        super().__init__()
        self.num_heads = num_heads
        self.self_attn = nn.MultiheadAttention(d_model, num_heads, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.ReLU(), nn.Linear(2 * d_model, d_model))

    def forward(self, x, spatial_bias, padding_mask):
        # spatial_bias: (N, L, L) float, padding_mask: (N, L) bool True = padded node
        attn_bias = spatial_bias.repeat(self.num_heads, 1, 1)  # BUG: tile order != b*num_heads + h
        h, _ = self.self_attn(x, x, x, attn_mask=attn_bias, key_padding_mask=padding_mask)
        x = self.norm1(x + h)
        return self.norm2(x + self.ffn(x))


class SpatialEncoder(nn.Module):
    def __init__(self, max_dist: int = 20):
        super().__init__()
        self.dist_emb = nn.Embedding(max_dist + 1, 1)

    def forward(self, shortest_path: torch.Tensor) -> torch.Tensor:
        return self.dist_emb(shortest_path.clamp(max=self.dist_emb.num_embeddings - 1)).squeeze(-1)


if __name__ == "__main__":
    N, L = 4, 12
    layer = StructuralBiasEncoderLayer()
    spatial = SpatialEncoder()
    x = torch.randn(N, L, 128)
    dist = torch.randint(0, 8, (N, L, L))
    n_nodes = torch.tensor([12, 7, 10, 4])
    pad = torch.arange(L)[None, :] >= n_nodes[:, None]
    layer.train()
    out_train = layer(x, spatial(dist), pad)
    layer.eval()
    with torch.no_grad():
        out_eval = layer(x, spatial(dist), pad)
    print(out_train.shape, out_eval.shape)
