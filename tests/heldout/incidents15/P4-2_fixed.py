import math

import torch
import torch.nn as nn
from torch import Tensor


class PositionalEncoding(nn.Module):
    def __init__(self, dim: int, dropout: float = 0.1, max_len: int = 64) -> None:
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe = torch.zeros(max_len, dim)
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x: Tensor) -> Tensor:
        return self.dropout(x + self.pe[:, : x.size(1)])


class Transformer(nn.Module):
    def __init__(self, vocab_size: int = 33, ninp: int = 16, nhead: int = 2, nhid: int = 32,
                 nlayers: int = 1, dropout: float = 0.0) -> None:
        super().__init__()
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(d_model=ninp, nhead=nhead, num_encoder_layers=nlayers,
                                          num_decoder_layers=nlayers, dim_feedforward=nhid, dropout=dropout,
                                          batch_first=True)
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
        output = self.transformer(src, target, src_mask=mask, tgt_mask=mask, memory_mask=mask)  # BUG
        output = self.decoder(output)
        output = torch.nn.functional.log_softmax(output, dim=-1)
        return output.view(-1, self.vocab_size)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer().eval()
    tokens = torch.randint(0, 33, (2, 9))
    inputs, target = tokens[:, :-1], tokens[:, 1:]
    with torch.no_grad():
        out = model(inputs, target).view(2, 8, -1)
        tokens2 = tokens.clone()
        tokens2[:, 5:] = torch.randint(0, 33, (2, 4))
        out2 = model(tokens2[:, :-1], tokens2[:, 1:]).view(2, 8, -1)
    print(f"future-token leak into predictions 0-3: {(out[:, :4] - out2[:, :4]).abs().max().item():.4f}")
