from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, heads=4, ffn_dim=64, normalize_before=False):
        super().__init__()
        self.embed_dim = embed_dim
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=0.0)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.normalize_before = normalize_before

    def maybe_layer_norm(self, layer_norm, x, before=False, after=False):
        assert before ^ after
        if after ^ self.normalize_before:
            return layer_norm(x)
        return x

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        residual = x
        x = self.maybe_layer_norm(self.self_attn_layer_norm, x, before=True)
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask)  # BUG
        x = residual + x
        x = self.maybe_layer_norm(self.self_attn_layer_norm, x, after=True)
        residual = x
        x = self.maybe_layer_norm(self.final_layer_norm, x, before=True)
        x = self.fc2(F.relu(self.fc1(x)))
        x = residual + x
        return self.maybe_layer_norm(self.final_layer_norm, x, after=True)


class LocalTransformerEncoder(nn.Module):
    """Encoder restricted to a local window: attn_mask marks (with 1) the positions that may not be attended."""

    def __init__(self, vocab=50, embed_dim=32, layers=2, window=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.window = window
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.layers = nn.ModuleList(TransformerEncoderLayer(embed_dim) for _ in range(layers))

    def buffered_local_mask(self, tensor):
        dim = tensor.size(0)
        idx = torch.arange(dim)
        return ((idx[None, :] - idx[:, None]).abs() > self.window).float()

    def forward(self, src_tokens):
        x = self.embed_tokens(src_tokens).transpose(0, 1)
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        attn_mask = self.buffered_local_mask(x)
        for layer in self.layers:
            x = layer(x, encoder_padding_mask, attn_mask=attn_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = LocalTransformerEncoder().eval()
    src = torch.tensor([[4, 9, 13, 21, 7, 30, 11, 2]])
    far = src.clone()
    far[0, -1] = 40
    with torch.no_grad():
        a = enc(src)
        b = enc(far)
    print(f"position 0 change when a token outside its 2-layer window changes: {(a[0] - b[0]).abs().max().item():.3e}")
