# Sentence encoder layer with an optional (tgt_len, src_len) attention mask, fp16-ready.
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerSentenceEncoderLayer(nn.Module):
    def __init__(self, embedding_dim=32, num_attention_heads=4, ffn_embedding_dim=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embedding_dim, num_attention_heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embedding_dim)
        self.fc1 = nn.Linear(embedding_dim, ffn_embedding_dim)
        self.fc2 = nn.Linear(ffn_embedding_dim, embedding_dim)
        self.final_layer_norm = nn.LayerNorm(embedding_dim)
        self.dropout = dropout

    def forward(self, x: Tensor, self_attn_mask: Optional[Tensor] = None,
                self_attn_padding_mask: Optional[Tensor] = None) -> Tensor:
        """x: (seq_len, batch, dim); self_attn_mask: float (seq_len, seq_len), 1 = exclude;
        self_attn_padding_mask: bool (batch, seq_len), True = pad."""
        residual = x
        if self_attn_mask is not None:
            # anything in original attn_mask = 1 becomes a large negative number, 0 stays 0
            self_attn_mask = self_attn_mask.to(x.dtype).masked_fill(
                self_attn_mask.to(torch.bool), -1e8 if x.dtype == torch.float32 else -1e4)
        if self_attn_padding_mask is not None:
            self_attn_padding_mask = torch.zeros_like(self_attn_padding_mask, dtype=x.dtype).masked_fill(
                self_attn_padding_mask, float("-inf"))
        x, _ = self.self_attn(x, x, x, key_padding_mask=self_attn_padding_mask, attn_mask=self_attn_mask,
                              need_weights=False)
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.gelu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


def local_window_mask(seq_len: int, window: int) -> Tensor:
    """1.0 where |i - j| > window (excluded), 0.0 inside the window."""
    idx = torch.arange(seq_len)
    return ((idx[:, None] - idx[None, :]).abs() > window).float()


if __name__ == "__main__":
    layer = TransformerSentenceEncoderLayer().half()
    x = torch.randn(6, 2, 32, dtype=torch.float16)
    pad = torch.zeros(2, 6, dtype=torch.bool)
    pad[1, 4:] = True
    print(layer(x, local_window_mask(6, 2), pad).dtype)
