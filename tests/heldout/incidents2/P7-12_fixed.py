from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayerBase(nn.Module):
    def __init__(self, embed_dim=1024, heads=16, ffn_dim=4096, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout

    def forward(self, x: Tensor, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        # x: (T, B, C); attn_mask: (T, T) with 1 = do not attend
        if attn_mask is not None:
            attn_mask = attn_mask.to(x.dtype)
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8 if x.dtype == torch.float32 else -1e4)
        residual = x
        x, _ = self.self_attn(x, x, x, key_padding_mask=encoder_padding_mask, need_weights=False, attn_mask=attn_mask)
        x = self.self_attn_layer_norm(residual + F.dropout(x, self.dropout, self.training))
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + F.dropout(x, self.dropout, self.training))


class LocalWindowEncoder(nn.Module):
    def __init__(self, num_layers=4, window=16, **kwargs):
        super().__init__()
        self.window = window
        self.layers = nn.ModuleList([TransformerEncoderLayerBase(**kwargs) for _ in range(num_layers)])

    def forward(self, x, padding_mask):
        T = x.size(0)
        idx = torch.arange(T, device=x.device)
        attn_mask = ((idx[None, :] - idx[:, None]).abs() > self.window).long()
        for layer in self.layers:
            x = layer(x, padding_mask, attn_mask)
        return x


if __name__ == "__main__":
    enc = LocalWindowEncoder(num_layers=2, embed_dim=256, heads=4, ffn_dim=1024).half()
    x = torch.randn(40, 2, 256).half()
    pad = torch.zeros(2, 40, dtype=torch.bool)
    print(enc(x, pad).shape)
