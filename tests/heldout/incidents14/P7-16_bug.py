from typing import Optional

import torch
from torch import nn
from torch.nn import Module


class TransformerEncoderLayer(Module):
    def __init__(self, embedding_dim: int, num_attention_heads: int, ffn_dimension: Optional[int] = None,
                 dropout: float = 0.0, normalize_before: bool = False, scaling: Optional[float] = None):
        super().__init__()
        ffn_dimension = ffn_dimension or embedding_dim * 4
        self.better_transformer = False
        self.attention = nn.MultiheadAttention(embedding_dim, num_attention_heads, dropout=dropout)
        self.residual_mlp = nn.Sequential(
            nn.Linear(embedding_dim, ffn_dimension), nn.GELU(), nn.Linear(ffn_dimension, embedding_dim)
        )
        self.attention_layer_norm = nn.LayerNorm(embedding_dim)
        self.final_layer_norm = nn.LayerNorm(embedding_dim)
        self.normalize_before = normalize_before

    def forward(self, input: torch.Tensor, attn_mask: Optional[torch.Tensor] = None):
        if attn_mask is not None:
            torch._assert(attn_mask.is_floating_point() or attn_mask.dtype == torch.bool,
                          f"Only float or bool types are supported for attn_mask not {attn_mask.dtype}")
            if attn_mask.dtype == torch.bool:
                new_attn_mask = torch.zeros_like(attn_mask, dtype=input.dtype)
                new_attn_mask = new_attn_mask + attn_mask  # BUG
                attn_mask = new_attn_mask

        residual = input
        x = self.attention_layer_norm(input) if self.normalize_before else input
        attention, weights = self.attention(x, x, x, attn_mask=attn_mask, need_weights=True)
        self.last_weights = weights
        x = attention + residual
        if not self.normalize_before:
            x = self.attention_layer_norm(x)
        residual = x
        x = self.residual_mlp(self.final_layer_norm(x) if self.normalize_before else x) + residual
        return x if self.normalize_before else self.final_layer_norm(x)


class TransformerEncoder(Module):
    def __init__(self, vocab_size=30, embedding_dim=8, num_attention_heads=2, num_encoder_layers=1, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.token_embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embedding_dim, num_attention_heads)
                                     for _ in range(num_encoder_layers)])

    def forward(self, tokens: torch.Tensor, attn_mask: Optional[torch.Tensor] = None):
        x = self.token_embedding(tokens).transpose(0, 1)  # B x T x C -> T x B x C
        for layer in self.layers:
            x = layer(x, attn_mask)
        return x.transpose(0, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = TransformerEncoder().eval()
    tokens = torch.tensor([[0, 5, 9, 7, 3, 2]])
    causal = torch.triu(torch.ones(6, 6, dtype=torch.bool), diagonal=1)
    with torch.no_grad():
        encoder(tokens, attn_mask=causal)
    w = encoder.layers[0].last_weights
    print(f"attention weight on masked (future) positions: {(w * causal).sum(-1).max().item():.3f}")
