import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class PositionalEncoding(nn.Module):
    def __init__(self, dim: int, dropout: float = 0.1, max_len: int = 5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, dim)
        position = torch.arange(0, max_len).unsqueeze(1).float()
        div_term = torch.exp(torch.arange(0, dim, 2).float() * (-math.log(10000.0) / dim))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x: Tensor) -> Tensor:
        return self.dropout(x + self.pe[:, : x.size(1)])


class DemoTransformer(nn.Module):
    def __init__(self, vocab_size: int = 33278, ninp: int = 200, nhead: int = 2, nhid: int = 200, nlayers: int = 2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.pos_encoder = PositionalEncoding(ninp)
        self.transformer = nn.Transformer(
            d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers,
            dim_feedforward=nhid, batch_first=True,
        )
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.src_mask: Optional[Tensor] = None

    def forward(self, inputs: Tensor, target: Tensor) -> Tensor:
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        tgt = self.pos_encoder(self.embedding(target) * math.sqrt(self.ninp))
        if self.src_mask is None or self.src_mask.size(0) != target.size(1):
            self.src_mask = nn.Transformer.generate_square_subsequent_mask(target.size(1)).to(target.device)
        output = self.transformer(src, tgt, tgt_mask=self.src_mask)
        output = self.decoder(output)
        return F.log_softmax(output, dim=-1).reshape(-1, output.size(-1))


def training_step(model: DemoTransformer, batch):
    inputs, target = batch
    output = model(inputs, target)
    return F.nll_loss(output, target.reshape(-1))


if __name__ == "__main__":
    model = DemoTransformer(vocab_size=500)
    tokens = torch.randint(0, 500, (8, 36))
    loss = training_step(model, (tokens[:, :-1], tokens[:, 1:]))
    print(loss.item())
