"""Sentence encoder used by the retrieval service (inputs come from a HF tokenizer)."""
import math

import torch
from torch import nn


class SinusoidalPositions(nn.Module):
    def __init__(self, d_model: int, max_len: int = 512):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.pe[: x.size(1)]


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size: int, d_model: int = 128, nhead: int = 4, num_layers: int = 2, pad_id: int = 0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.positions = SinusoidalPositions(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """attention_mask: LongTensor (batch, seq) from the tokenizer, 1 = real token, 0 = padding."""
        x = self.positions(self.embed(input_ids))
        h = self.encoder(x, src_key_padding_mask=attention_mask)  # BUG
        weights = attention_mask.unsqueeze(-1).to(h.dtype)
        sentence = (h * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return nn.functional.normalize(self.proj(sentence), dim=-1)
