"""RoBERTa encoder blocks (torchtext-style) with a boolean padding mask."""
import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn import Module


class MultiheadSelfAttention(Module):
    def __init__(self, embed_dim: int, num_heads: int, scaling: Optional[float] = None, dropout: float = 0.0):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = scaling or 1.0 / math.sqrt(self.head_dim)
        self.dropout = nn.Dropout(dropout)
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)

    def forward(self, query: torch.Tensor, key_padding_mask: torch.Tensor) -> torch.Tensor:
        """query: (seq_len, batch, embed_dim); key_padding_mask: bool (batch, seq_len), True = pad."""
        target_length, batch_size, embed_dim = query.size()
        mask_batch_size, source_length = key_padding_mask.size()
        torch._assert(mask_batch_size == batch_size, "query and key_padding_mask batch sizes differed")

        projection = self.input_projection(query)
        q, k, v = projection.chunk(3, dim=-1)
        q = self.scaling * q
        batch_heads = batch_size * self.num_heads
        q = q.contiguous().view(-1, batch_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, batch_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, batch_heads, self.head_dim).transpose(0, 1)

        attn_weights = torch.bmm(q, k.transpose(1, 2))
        attn_weights = attn_weights.view(batch_size, self.num_heads, target_length, source_length)
        attn_mask = key_padding_mask.view(batch_size, 1, 1, source_length).to(dtype=attn_weights.dtype)  # BUG: bool True (pad) becomes +1.0 and is added to the logits; it must become a large negative value (-1e8 fp32 / -1e4 fp16)
        attn_weights = attn_weights + attn_mask
        attn_weights = attn_weights.view(batch_heads, target_length, source_length)
        attn_weights = self.dropout(F.softmax(attn_weights, dim=-1, dtype=torch.float32).type_as(attn_weights))

        attn = torch.bmm(attn_weights, v)
        attn = attn.transpose(0, 1).contiguous().view(target_length, batch_size, self.head_dim * self.num_heads)
        return self.output_projection(attn)


class TransformerEncoderLayer(Module):
    def __init__(self, embedding_dim: int = 32, num_attention_heads: int = 4, ffn_dimension: int = 64, dropout: float = 0.0):
        super().__init__()
        self.attention = MultiheadSelfAttention(embedding_dim, num_attention_heads, dropout=dropout)
        self.attention_layer_norm = nn.LayerNorm(embedding_dim)
        self.residual_mlp = nn.Sequential(nn.Linear(embedding_dim, ffn_dimension), nn.GELU(), nn.Linear(ffn_dimension, embedding_dim))
        self.final_layer_norm = nn.LayerNorm(embedding_dim)

    def forward(self, input: torch.Tensor, key_padding_mask: torch.Tensor) -> torch.Tensor:
        attention = self.attention(input, key_padding_mask)
        biased_input = self.attention_layer_norm(input + attention)
        return self.final_layer_norm(biased_input + self.residual_mlp(biased_input))
