import torch
import torch.nn as nn


class CausalSelfAttentionBlock(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4, max_len=8):
        super().__init__()
        self.ln = nn.LayerNorm(embed_dim)
        self.attn = nn.MultiheadAttention(embed_dim, num_heads)
        self.mlp = nn.Sequential(nn.Linear(embed_dim, 4 * embed_dim), nn.ReLU(), nn.Linear(4 * embed_dim, embed_dim))
        self.register_buffer("attn_mask", torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), diagonal=1))

    def forward(self, x):
        seq_len = x.size(0)
        h = self.ln(x)
        out, weights = self.attn(h, h, h, attn_mask=self.attn_mask[:seq_len, :seq_len])
        x = x + out
        return x + self.mlp(x), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    block = CausalSelfAttentionBlock()
    x = torch.randn(8, 2, 32)
    y, w = block(x)
    print(y.shape)
    print(w[0, 0])
