from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, heads=4, ffn_dim=64, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=0.0)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        # anything in original attn_mask = 1, becomes -1e8
        # anything in original attn_mask = 0, becomes 0
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)  # BUG
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask,
                              need_weights=False, attn_mask=attn_mask)
        x = self.self_attn_layer_norm(residual + F.dropout(x, p=self.dropout, training=self.training))
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + F.dropout(x, p=self.dropout, training=self.training))


def buffered_future_mask(tensor):
    dim = tensor.size(0)
    return torch.triu(torch.ones(dim, dim, dtype=tensor.dtype, device=tensor.device), 1)


if __name__ == "__main__":
    layer = TransformerEncoderLayer().half()
    x = torch.randn(6, 2, 32).half()
    padding = torch.zeros(2, 6, dtype=torch.bool)
    padding[1, 4:] = True
    out = layer(x, padding, attn_mask=buffered_future_mask(x))
    print(out.shape, out.dtype)
