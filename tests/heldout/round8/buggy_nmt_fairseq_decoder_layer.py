"""fairseq-like TransformerDecoderLayer / TransformerDecoder re-implemented on
nn.MultiheadAttention with fairseq's (T, B, C) layout.  Encoder output is given
as the usual ``encoder_out`` dict."""
from typing import Dict, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def fill_with_neg_inf(t):
    return t.float().fill_(float("-inf")).type_as(t)


class TransformerDecoderLayer(nn.Module):
    def __init__(self, embed_dim=64, heads=4, ffn=128, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.encoder_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.encoder_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn), nn.Linear(ffn, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_out, encoder_padding_mask, self_attn_mask=None, self_attn_padding_mask=None):
        residual = x
        x = self.self_attn_layer_norm(x)
        x, _ = self.self_attn(x, x, x, self_attn_mask)  # expect: ML501
        x = residual + x
        residual = x
        x = self.encoder_attn_layer_norm(x)
        x, _ = self.encoder_attn(x, encoder_out, encoder_out, key_padding_mask=encoder_padding_mask)
        x = residual + x
        residual = x
        x = self.fc2(F.relu(self.fc1(self.final_layer_norm(x))))
        return residual + x


class TransformerDecoder(nn.Module):
    def __init__(self, vocab=500, embed_dim=64, layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.embed_positions = nn.Embedding(256, embed_dim)
        self.layers = nn.ModuleList(TransformerDecoderLayer(embed_dim) for _ in range(layers))
        self.output_projection = nn.Linear(embed_dim, vocab, bias=False)
        self._future_mask = torch.empty(0)

    def buffered_future_mask(self, tensor):
        dim = tensor.size(0)
        if self._future_mask.size(0) < dim:
            self._future_mask = torch.triu(fill_with_neg_inf(torch.zeros([dim, dim])), 1)
        return self._future_mask[:dim, :dim].to(tensor)

    def forward(self, prev_output_tokens, encoder_out: Dict[str, torch.Tensor]):
        positions = self.embed_positions(torch.arange(prev_output_tokens.size(1)))
        x = (self.embed_tokens(prev_output_tokens) + positions).transpose(0, 1)  # T x B x C
        self_attn_mask = self.buffered_future_mask(x)
        for layer in self.layers:
            x = layer(
                x,
                encoder_out["encoder_out"],
                encoder_out["encoder_padding_mask"],
                self_attn_mask=self_attn_mask,
            )
        return self.output_projection(x.transpose(0, 1))


if __name__ == "__main__":
    torch.manual_seed(0)
    dec = TransformerDecoder()
    S, B, C = 10, 3, 64
    enc = {"encoder_out": torch.randn(S, B, C), "encoder_padding_mask": torch.zeros(B, S, dtype=torch.bool)}
    enc["encoder_padding_mask"][2, 6:] = True
    prev = torch.randint(2, 500, (B, 7))
    try:
        logits = dec(prev, enc)
        print("logits", tuple(logits.shape))
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", type(e).__name__, e)
