import math

import torch
import torch.nn as nn
from torch import Tensor


class PositionalEncoding(nn.Module):
    def __init__(self, dim, dropout=0.0, max_len=512):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, dim)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, dim, 2).float() * (-math.log(10000.0) / dim))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.dropout(x + self.pe[:, : x.size(1)])


class Transformer(nn.Module):
    def __init__(self, vocab_size=100, ninp=32, nhead=2, nhid=64, nlayers=2, dropout=0.0):
        super().__init__()
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(
            d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers,
            dim_feedforward=nhid, dropout=dropout, batch_first=True,
        )
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size

    def forward(self, inputs: Tensor, target: Tensor, mask: Tensor = None) -> Tensor:
        _, t = inputs.shape
        if mask is None:
            mask = torch.tril(torch.ones(t, t, device=inputs.device)) == 1
            mask = mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, 0.0)
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        target = self.pos_encoder(self.embedding(target) * math.sqrt(self.ninp))
        output = self.transformer(src, target, src_mask=mask, tgt_mask=mask, memory_mask=mask)
        output = self.decoder(output)
        return output.view(-1, self.vocab_size)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer().train()
    seq = torch.randint(0, 100, (2, 13))
    inputs, target = seq[:, :-1], seq[:, 1:]
    seq2 = seq.clone()
    seq2[:, 7:] = torch.randint(0, 100, (2, 6))
    with torch.no_grad():
        a = model(inputs, target).view(2, 12, -1)
        b = model(seq2[:, :-1], seq2[:, 1:]).view(2, 12, -1)
    print(f"next-token demo leak: max |d logits[:, :6]| after editing tokens 7.. = {(a[:, :6] - b[:, :6]).abs().max().item():.4f}")
