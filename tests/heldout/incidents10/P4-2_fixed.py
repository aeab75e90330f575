"""lightning demos/transformer.py style: a next-token Transformer demo model
and its LightningModule-like training step (plain nn.Module here)."""
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class PositionalEncoding(nn.Module):
    def __init__(self, dim: int, max_len: int = 64):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe = torch.zeros(max_len, dim)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(1)]


class Transformer(nn.Module):
    def __init__(self, vocab_size=33, ninp=16, nhead=2, nhid=32, nlayers=1, dropout=0.0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(d_model=ninp, nhead=nhead, num_encoder_layers=nlayers,
                                          num_decoder_layers=nlayers, dim_feedforward=nhid,
                                          dropout=dropout, batch_first=True)
        self.pos_encoder = PositionalEncoding(ninp)
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size
        self.src_mask: Optional[Tensor] = None

    def generate_square_subsequent_mask(self, size: int) -> Tensor:
        return torch.triu(torch.ones(size, size, dtype=torch.bool), diagonal=1)

    def forward(self, inputs: Tensor, target: Tensor) -> Tensor:
        _, t = inputs.shape
        if self.src_mask is None or self.src_mask.size(0) != t:
            self.src_mask = self.generate_square_subsequent_mask(t).to(inputs.device)
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        target = self.pos_encoder(self.embedding(target) * math.sqrt(self.ninp))
        output = self.transformer(src, target, src_mask=self.src_mask, tgt_mask=self.src_mask, memory_mask=self.src_mask)
        return self.decoder(output).view(-1, self.vocab_size)


def training_step(model, batch):
    input, target = batch
    output = model(input, target)
    return F.nll_loss(F.log_softmax(output, -1), target.view(-1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer()
    inp = torch.randint(0, 33, (2, 6))
    tgt = torch.roll(inp, -1, 1)
    loss = training_step(model, (inp, tgt))
    inp2 = inp.clone(); inp2[:, -1] = (inp2[:, -1] + 1) % 33
    tgt2 = tgt.clone(); tgt2[:, -1] = (tgt2[:, -1] + 1) % 33
    with torch.no_grad():
        a = model(inp, tgt).view(2, 6, -1); b = model(inp2, tgt2).view(2, 6, -1)
    print("prefix change when last position changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
