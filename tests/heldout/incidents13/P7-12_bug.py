from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, heads=4, ffn_dim=64):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn_dim), nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)  # BUG
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask, need_weights=False)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


class WaitKEncoder(nn.Module):
    def __init__(self, vocab=40, dim=32):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, dim, padding_idx=1)
        self.layers = nn.ModuleList([TransformerEncoderLayer(dim) for _ in range(2)])

    def buffered_future_mask(self, tensor):
        dim = tensor.size(0)
        return torch.triu(torch.ones(dim, dim, dtype=tensor.dtype), 1)

    def forward(self, src_tokens):
        x = self.embed_tokens(src_tokens).transpose(0, 1)
        pad = src_tokens.eq(1)
        attn_mask = self.buffered_future_mask(x)
        for layer in self.layers:
            x = layer(x, pad, attn_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = WaitKEncoder().half().eval()
    src = torch.randint(2, 40, (2, 7))
    try:
        with torch.no_grad():
            out = encoder(src)
        print(f"fp16 encoder ok, finite={bool(torch.isfinite(out).all())}")
    except RuntimeError as err:
        print(f"RuntimeError: {err}")
