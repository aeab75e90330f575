from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.embed_dim = args.encoder_embed_dim
        self.self_attn = nn.MultiheadAttention(self.embed_dim, args.encoder_attention_heads, dropout=args.attention_dropout)
        self.self_attn_layer_norm = nn.LayerNorm(self.embed_dim)
        self.dropout = args.dropout
        self.normalize_before = args.encoder_normalize_before
        self.fc1 = nn.Linear(self.embed_dim, args.encoder_ffn_embed_dim)
        self.fc2 = nn.Linear(args.encoder_ffn_embed_dim, self.embed_dim)
        self.final_layer_norm = nn.LayerNorm(self.embed_dim)

    def forward(self, x, encoder_padding_mask: Tensor, attn_mask: Optional[Tensor] = None):
        """
        Args:
            x (Tensor): input to the layer of shape `(seq_len, batch, embed_dim)`
            encoder_padding_mask (ByteTensor): binary ByteTensor of shape `(batch, src_len)`
            attn_mask (ByteTensor): binary tensor of shape (T_tgt, T_src), where T_tgt is the
                length of query, while T_src is the length of key; 1 marks a position to exclude.
        """
        residual = x
        if self.normalize_before:
            x = self.self_attn_layer_norm(x)
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        x, _ = self.self_attn(
            query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask
        )
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = residual + x
        if not self.normalize_before:
            x = self.self_attn_layer_norm(x)
        residual = x
        x = self.fc2(F.relu(self.fc1(self.final_layer_norm(x) if self.normalize_before else x)))
        x = residual + F.dropout(x, p=self.dropout, training=self.training)
        return x if self.normalize_before else self.final_layer_norm(x)


class Args:
    encoder_embed_dim = 32
    encoder_attention_heads = 4
    attention_dropout = 0.0
    dropout = 0.1
    encoder_normalize_before = False
    encoder_ffn_embed_dim = 64


if __name__ == "__main__":
    layer = TransformerEncoderLayer(Args())
    T, B = 7, 2
    x = torch.randn(T, B, 32)
    padding = torch.zeros(B, T, dtype=torch.bool)
    padding[1, 5:] = True
    future = torch.triu(torch.ones(T, T), 1)
    print(layer(x, padding, attn_mask=future).shape)
