from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, attention_heads=4, ffn_dim=64, dropout=0.0, normalize_before=False):
        super().__init__()
        self.embed_dim = embed_dim
        self.self_attn = nn.MultiheadAttention(embed_dim, attention_heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.normalize_before = normalize_before
        self.dropout = dropout

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        residual = x
        if self.normalize_before:
            x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask)  # BUG
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = residual + x
        if not self.normalize_before:
            x = self.self_attn_layer_norm(x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        x = residual + x
        return self.final_layer_norm(x)


def buffered_future_mask(tensor):
    dim = tensor.size(0)
    return torch.triu(torch.ones(dim, dim), 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = TransformerEncoderLayer().eval()
    x = torch.randn(9, 2, 32)
    padding = torch.zeros(2, 9, dtype=torch.bool)
    future = buffered_future_mask(x)
    edited = x.clone()
    edited[5:] += torch.randn(4, 2, 32)
    with torch.no_grad():
        d = (layer(x, padding, future)[:5] - layer(edited, padding, future)[:5]).abs().max().item()
    print(f"attn_mask given (future mask): max |d out[:5]| after editing steps 5.. = {d:.4f}")
