from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    """Post-norm encoder layer; activations are T x B x C."""

    def __init__(self, embed_dim=32, heads=4, ffn_dim=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)  # BUG
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


class StreamingEncoder(nn.Module):
    """Encoder for simultaneous translation: each source token only sees the past."""

    def __init__(self, vocab=50, embed_dim=32, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=1)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embed_dim) for _ in range(layers)])

    def forward(self, src_tokens):
        x = self.embed_tokens(src_tokens).transpose(0, 1)
        padding_mask = src_tokens.eq(1)
        T = src_tokens.size(1)
        attn_mask = torch.triu(torch.ones(T, T), 1)
        for layer in self.layers:
            x = layer(x, padding_mask, attn_mask=attn_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = StreamingEncoder().eval()
    src = torch.randint(2, 50, (2, 9))
    with torch.no_grad():
        out = enc(src)
        src2 = src.clone()
        src2[:, 5:] = (src2[:, 5:] + 4) % 48 + 2
        leak = (enc(src2)[:5] - out[:5]).abs().max().item()
    print(f"encoder states 0-4 change when source tokens 5.. are edited = {leak:.4f}")
