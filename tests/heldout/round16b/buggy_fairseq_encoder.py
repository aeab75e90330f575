import math

import torch
import torch.nn as nn


class SinusoidalPositionalEmbedding(nn.Module):
    def __init__(self, dim, padding_idx, init_size=1024):
        super().__init__()
        half = dim // 2
        emb = torch.exp(torch.arange(half, dtype=torch.float) * -(math.log(10000) / (half - 1)))
        emb = torch.arange(init_size, dtype=torch.float)[:, None] * emb[None]
        self.register_buffer("weights", torch.cat([emb.sin(), emb.cos()], 1), persistent=False)
        self.padding_idx = padding_idx

    def forward(self, tokens):
        mask = tokens.ne(self.padding_idx).int()
        positions = torch.cumsum(mask, dim=0) * mask
        return self.weights[positions]


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim, heads, ffn_dim, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn_dim), nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, encoder_padding_mask):
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask)  # expect: ML304
        x = self.self_attn_layer_norm(residual + self.dropout(x))
        residual = x
        x = self.fc2(self.dropout(torch.relu(self.fc1(x))))
        return self.final_layer_norm(residual + self.dropout(x))


class TransformerEncoder(nn.Module):
    """Time-major (T x B) encoder in the fairseq layout."""

    def __init__(self, vocab, embed_dim=64, heads=4, layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_scale = math.sqrt(embed_dim)
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx)
        self.embed_positions = SinusoidalPositionalEmbedding(embed_dim, padding_idx)
        self.layers = nn.ModuleList(TransformerEncoderLayer(embed_dim, heads, 2 * embed_dim) for _ in range(layers))

    def forward(self, src_tokens):
        x = self.embed_scale * self.embed_tokens(src_tokens) + self.embed_positions(src_tokens)
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        return {"encoder_out": x, "encoder_padding_mask": encoder_padding_mask}


if __name__ == "__main__":
    enc = TransformerEncoder(200)
    src = torch.randint(4, 200, (10, 3))
    src[7:, 1] = 1
    print(enc(src)["encoder_out"].shape)
