import torch
import torch.nn as nn


class GraphormerLayer(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4, dropout=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.self_attn = nn.MultiheadAttention(embed_dim, num_heads, dropout=dropout, batch_first=True)
        self.norm1 = nn.LayerNorm(embed_dim)
        self.norm2 = nn.LayerNorm(embed_dim)
        self.ffn = nn.Sequential(nn.Linear(embed_dim, 2 * embed_dim), nn.GELU(), nn.Linear(2 * embed_dim, embed_dim))

    def forward(self, x, attn_bias, padding_mask):
        h = self.norm1(x)
        h, _ = self.self_attn(h, h, h, attn_mask=attn_bias, key_padding_mask=padding_mask)
        x = x + h
        return x + self.ffn(self.norm2(x))


class SpatialEncoder(nn.Module):
    def __init__(self, max_dist=8):
        super().__init__()
        self.dist_embed = nn.Embedding(max_dist + 1, 1)

    def forward(self, shortest_path):
        return self.dist_embed(shortest_path.clamp(max=8)).squeeze(-1)


class Graphormer(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4, num_layers=2):
        super().__init__()
        self.num_heads = num_heads
        self.spatial = SpatialEncoder()
        self.layers = nn.ModuleList([GraphormerLayer(embed_dim, num_heads) for _ in range(num_layers)])

    def forward(self, node_feats, shortest_path, padding_mask):
        attn_bias = self.spatial(shortest_path)
        attn_bias = attn_bias.repeat_interleave(self.num_heads, dim=0)
        x = node_feats
        for layer in self.layers:
            x = layer(x, attn_bias, padding_mask)
        return x


if __name__ == "__main__":
    N, L, E = 3, 6, 32
    model = Graphormer(E)
    node_feats = torch.randn(N, L, E)
    spd = torch.randint(0, 10, (N, L, L))
    padding_mask = torch.zeros(N, L)
    padding_mask[1, 4:] = float("-inf")
    out = model(node_feats, spd, padding_mask)
    model.eval()
    with torch.no_grad():
        out_eval = model(node_feats, spd, padding_mask)
    print(out.shape, out_eval.shape)
