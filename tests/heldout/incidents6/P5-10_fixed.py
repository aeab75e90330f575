"""Encoder layer in the fairseq style (T x B x C), with optional extra attention mask."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, heads=4, ffn_dim=64, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout

    def forward(self, x: Tensor, encoder_padding_mask: Tensor, attn_mask: Optional[Tensor] = None):
        """
        x: (seq_len, batch, embed_dim); encoder_padding_mask: (batch, seq_len), True at padding;
        attn_mask: (tgt_len, src_len) bool, True for positions excluded from attention.
        """
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        x = F.dropout(x, p=self.dropout, training=self.training)
        return self.final_layer_norm(residual + x)


class LocalWindowEncoder(nn.Module):
    """Each position only attends to a +/- window neighbourhood."""

    def __init__(self, vocab=60, embed_dim=32, layers=2, window=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.window = window
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embed_dim) for _ in range(layers)])

    def forward(self, src_tokens):
        x = self.embed_tokens(src_tokens).transpose(0, 1)
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        T = src_tokens.size(1)
        idx = torch.arange(T)
        attn_mask = (idx[:, None] - idx[None, :]).abs() > self.window
        for layer in self.layers:
            x = layer(x, encoder_padding_mask, attn_mask=attn_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = LocalWindowEncoder()
    src = torch.randint(2, 60, (3, 8))
    src[2, 6:] = 1
    print(enc(src).shape)
