"""Demo model and data used by the examples and benchmarks: a small seq2seq Transformer
trained for next-token prediction on random token streams."""
import math
from typing import Dict

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import Dataset


class PositionalEncoding(nn.Module):
    def __init__(self, dim: int, dropout: float = 0.1, max_len: int = 512) -> None:
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, dim)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, dim, 2).float() * (-math.log(10000.0) / dim))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0), persistent=False)

    def forward(self, x: Tensor) -> Tensor:
        return self.dropout(x + self.pe[:, : x.size(1)])


class Transformer(nn.Module):
    def __init__(self, vocab_size: int = 33, ninp: int = 32, nhead: int = 2, nhid: int = 64,
                 nlayers: int = 2, dropout: float = 0.2) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(
            d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers,
            dim_feedforward=nhid, dropout=dropout, batch_first=True,
        )
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size

    def forward(self, inputs: Tensor) -> Tensor:
        """inputs: (batch, t) tokens; returns next-token log-probabilities for every position."""
        _, t = inputs.shape
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        mask = self.transformer.generate_square_subsequent_mask(t, device=src.device)
        output = self.transformer(src, src, src_mask=mask, tgt_mask=mask, memory_mask=mask)
        output = self.decoder(output)
        return output.view(-1, self.vocab_size)


class RandomTokenDataset(Dataset):
    def __init__(self, vocab_size: int = 33, seq_len: int = 16, length: int = 64) -> None:
        self.data = torch.randint(0, vocab_size, (length, seq_len + 1))

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> Dict[str, Tensor]:
        return {"input": self.data[index, :-1], "target": self.data[index, 1:]}


def training_step(model: Transformer, batch: Dict[str, Tensor]) -> Tensor:
    output = model(batch["input"])
    return F.nll_loss(F.log_softmax(output, -1), batch["target"].view(-1))
