"""RoBERTa-style encoder with its own multi-head attention container taking an additive float mask."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        self.num_heads = num_heads
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def forward(self, x, attn_mask=None):
        # x: (S, N, E); attn_mask: (N*H, S, S) float, added to the scores
        S, N, E = x.shape
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(S, N * self.num_heads, -1).transpose(0, 1) for t in (q, k, v))
        scores = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(q.size(-1))
        if attn_mask is not None:
            scores = scores + attn_mask
        attn = F.dropout(F.softmax(scores, dim=-1), p=self.dropout, training=self.training)
        out = torch.bmm(attn, v).transpose(0, 1).reshape(S, N, E)
        return self.out_proj(out)


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4, ffn_dim=64):
        super().__init__()
        self.num_heads = num_heads
        self.attention = MultiheadSelfAttention(embed_dim, num_heads)
        self.attention_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, key_padding_mask):
        S, N, _ = x.shape
        attn_mask = key_padding_mask[:, None, :].expand(N, S, S).repeat_interleave(self.num_heads, dim=0)
        attn_mask = torch.zeros(attn_mask.shape, dtype=x.dtype).masked_fill_(attn_mask, -1e8)
        x = self.attention_layer_norm(x + self.attention(x, attn_mask))
        return self.final_layer_norm(x + self.fc2(F.gelu(self.fc1(x))))


class RobertaEncoder(nn.Module):
    def __init__(self, vocab=50, embed_dim=32, layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embed_dim) for _ in range(layers)])

    def forward(self, tokens):
        padding_mask = tokens.eq(self.padding_idx)
        x = self.embed(tokens).transpose(0, 1)
        for layer in self.layers:
            x = layer(x, padding_mask)
        return x.transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = RobertaEncoder()
    tokens = torch.randint(3, 50, (2, 7))
    tokens[1, 4:] = 1
    print(enc(tokens).shape)
