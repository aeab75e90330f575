import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class MultiheadSelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, scaling=None, dropout=0.0):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.scaling = scaling or self.head_dim ** -0.5
        self.dropout = dropout
        self.input_projection = nn.Linear(embed_dim, 3 * embed_dim)
        self.output_projection = nn.Linear(embed_dim, embed_dim)

    def forward(self, query: torch.Tensor, key_padding_mask: torch.Tensor):
        target_length, batch_size, embed_dim = query.size()
        mask_batch_size, source_length = key_padding_mask.size()
        projection = self.input_projection(query)
        q, k, v = projection.chunk(3, dim=-1)
        q = self.scaling * q
        batch_heads = batch_size * self.num_heads
        q = q.contiguous().view(-1, batch_heads, self.head_dim).transpose(0, 1)
        k = k.contiguous().view(-1, batch_heads, self.head_dim).transpose(0, 1)
        v = v.contiguous().view(-1, batch_heads, self.head_dim).transpose(0, 1)
        attn_weights = torch.bmm(q, k.transpose(1, 2))
        attn_weights = attn_weights.view(batch_size, self.num_heads, target_length, source_length)
        attn_mask = key_padding_mask.unsqueeze(1).unsqueeze(2).to(attn_weights.dtype)  # BUG
        attn_weights = attn_weights + attn_mask
        attn_weights = attn_weights.view(batch_heads, target_length, source_length)
        attn_weights = F.softmax(attn_weights, dim=-1)
        attn_weights = F.dropout(attn_weights, p=self.dropout, training=self.training)
        attn = torch.bmm(attn_weights, v)
        attn = attn.transpose(0, 1).contiguous().view(target_length, batch_size, self.head_dim * self.num_heads)
        return self.output_projection(attn)


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embedding_dim, num_attention_heads, ffn_dimension=None, normalize_before=False):
        super().__init__()
        ffn_dimension = ffn_dimension or embedding_dim * 4
        self.attention = MultiheadSelfAttention(embedding_dim, num_attention_heads)
        self.residual_mlp = nn.Sequential(nn.Linear(embedding_dim, ffn_dimension), nn.GELU(), nn.Linear(ffn_dimension, embedding_dim))
        self.attention_layer_norm = nn.LayerNorm(embedding_dim)
        self.final_layer_norm = nn.LayerNorm(embedding_dim)
        self.normalize_before = normalize_before

    def forward(self, input, key_padding_mask: Optional[torch.Tensor] = None):
        x = self.attention(input, key_padding_mask)
        x = self.attention_layer_norm(x + input)
        return self.final_layer_norm(x + self.residual_mlp(x))


class RobertaEncoder(nn.Module):
    def __init__(self, vocab_size=50, embedding_dim=32, num_attention_heads=4, num_encoder_layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.token_embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx)
        self.layers = nn.ModuleList(TransformerEncoderLayer(embedding_dim, num_attention_heads) for _ in range(num_encoder_layers))

    def forward(self, tokens):
        padding_mask = tokens.eq(self.padding_idx)
        x = self.token_embedding(tokens).transpose(1, 0)
        for layer in self.layers:
            x = layer(x, padding_mask)
        return x.transpose(1, 0)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = RobertaEncoder().eval()
    tokens = torch.tensor([[0, 18, 27, 9, 2, 1, 1, 1]])
    alone = tokens[:, :5]
    with torch.no_grad():
        a = encoder(tokens)[0, :5]
        b = encoder(alone)[0]
    print(f"real-token features, padded vs unpadded input: {(a - b).abs().max().item():.3e}")
