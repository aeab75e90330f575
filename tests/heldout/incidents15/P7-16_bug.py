from typing import Optional

import torch
from torch import nn
from torch.nn import Module


class TransformerEncoder(Module):
    def __init__(self, padding_idx=1, vocab_size=40, embedding_dim=16, num_attention_heads=2, num_encoder_layers=2,
                 ffn_dimension=32, dropout=0.0, max_seq_len=32):
        super().__init__()
        self.padding_idx = padding_idx
        self.token_embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx)
        self.positional_embedding = nn.Embedding(max_seq_len, embedding_dim)
        layer = nn.TransformerEncoderLayer(embedding_dim, num_attention_heads, ffn_dimension, dropout,
                                           batch_first=False)
        self.layers = nn.TransformerEncoder(layer, num_encoder_layers, enable_nested_tensor=False)
        self.embedding_layer_norm = nn.LayerNorm(embedding_dim)

    def forward(self, tokens: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        if attn_mask is not None:
            torch._assert(attn_mask.is_floating_point() or attn_mask.dtype == torch.bool,
                          f"Only float or bool types are supported for attn_mask not {attn_mask.dtype}")
            if attn_mask.dtype == torch.bool:
                new_attn_mask = attn_mask.to(torch.float32)  # BUG
                attn_mask = new_attn_mask
        padding_mask = tokens.eq(self.padding_idx)
        positions = torch.arange(tokens.size(1))
        embedded = self.token_embedding(tokens) + self.positional_embedding(positions)[None]
        embedded = self.embedding_layer_norm(embedded)
        padded_embedded = embedded * (1 - padding_mask.unsqueeze(-1).type_as(embedded))
        encoded = self.layers(padded_embedded.transpose(1, 0), mask=attn_mask,
                              src_key_padding_mask=padding_mask.float().masked_fill(padding_mask, -1e8))
        return encoded.transpose(1, 0)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = TransformerEncoder().train()
    tokens = torch.randint(2, 40, (2, 6))
    causal = torch.triu(torch.ones(6, 6, dtype=torch.bool), diagonal=1)
    out = encoder(tokens, attn_mask=causal)
    changed = tokens.clone()
    changed[:, 3:] = torch.randint(2, 40, (2, 3))
    out2 = encoder(changed, attn_mask=causal)
    print(f"bool causal attn_mask: future leak into positions 0-2: {(out[:, :3] - out2[:, :3]).abs().max().item():.4f}")
