from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=16, heads=2, ffn_dim=32):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8 if attn_mask.dtype == torch.float32 else -1e4)
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


class SegmentEncoder(nn.Module):
    """Encodes concatenated segments; tokens may only attend within their own segment."""

    def __init__(self, vocab=40, embed_dim=16, layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.layers = nn.ModuleList(TransformerEncoderLayer(embed_dim) for _ in range(layers))

    def forward(self, src_tokens, segment_ids):
        x = self.embed_tokens(src_tokens).transpose(0, 1)
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        attn_mask = (segment_ids[0][:, None] != segment_ids[0][None, :]).to(x.dtype)
        for layer in self.layers:
            x = layer(x, encoder_padding_mask, attn_mask=attn_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SegmentEncoder().half().eval()
    src = torch.tensor([[5, 9, 14, 22, 7, 30, 1, 1]])
    seg = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 1]])
    try:
        with torch.no_grad():
            out = model(src, seg)
        print(f"fp16 forward ok: dtype {out.dtype}, finite {bool(torch.isfinite(out[:6]).all())}")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
