"""Word-level language model on nn.TransformerEncoder (config-driven training script)."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class LMArgs:
    ntoken: int = 200
    d_model: int = 32
    nhead: int = 4
    d_hid: int = 64
    nlayers: int = 2
    dropout: float = 0.0
    bptt: int = 12
    lr: float = 5.0


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=512):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(pos * div)
        pe[:, 0, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class TransformerModel(nn.Module):
    def __init__(self, args: LMArgs):
        super().__init__()
        self.args = args
        self.pos_encoder = PositionalEncoding(args.d_model)
        layer = nn.TransformerEncoderLayer(args.d_model, args.nhead, args.d_hid, args.dropout)
        self.transformer_encoder = nn.TransformerEncoder(layer, args.nlayers, enable_nested_tensor=False)
        self.embedding = nn.Embedding(args.ntoken, args.d_model)
        self.linear = nn.Linear(args.d_model, args.ntoken)

    def forward(self, src, src_mask=None):
        src = self.embedding(src) * math.sqrt(self.args.d_model)
        src = self.pos_encoder(src)
        output = self.transformer_encoder(src, src_mask)
        return self.linear(output)


def get_batch(source, i, args: LMArgs):
    seq_len = min(args.bptt, len(source) - 1 - i)
    return source[i : i + seq_len], source[i + 1 : i + 1 + seq_len].reshape(-1)


def train_epoch(model, train_data, args: LMArgs):
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr)
    total = 0.0
    for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
        data, targets = get_batch(train_data, i, args)
        src_mask = nn.Transformer.generate_square_subsequent_mask(data.size(0))
        output = model(data, src_mask)
        loss = nn.functional.cross_entropy(output.view(-1, args.ntoken), targets)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        opt.step()
        total += loss.item()
    return total / (batch + 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    args = LMArgs()
    model = TransformerModel(args)
    data = torch.randint(0, args.ntoken, (60, 4))
    print("train loss:", train_epoch(model, data, args))
    model.eval()
    x = data[:8]
    with torch.no_grad():
        a = model(x, nn.Transformer.generate_square_subsequent_mask(8))[:4]
        b = model(x[:4], nn.Transformer.generate_square_subsequent_mask(4))
    print("causal at eval:", torch.allclose(a, b, atol=1e-4))
