import math

import torch
import torch.nn as nn


class VerseNet(nn.Module):
    """Character model over poems; forward returns per-position logits."""

    def __init__(self, n_chars: int, d_model: int = 64, nhead: int = 4, layers: int = 2, max_len: int = 256):
        super().__init__()
        self.embed = nn.Embedding(n_chars, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, n_chars)
        self.scale = math.sqrt(d_model)

    def forward(self, tokens: torch.Tensor, causal: bool = True) -> torch.Tensor:
        T = tokens.size(1)
        h = self.embed(tokens) * self.scale + self.pos(torch.arange(T, device=tokens.device))
        mask = None
        if causal:
            mask = nn.Transformer.generate_square_subsequent_mask(T, device=tokens.device)
        h = self.body(h, mask=mask, is_causal=causal)
        return self.head(h)
