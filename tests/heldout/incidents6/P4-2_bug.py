"""Demo next-token model on nn.Transformer (inputs and shifted targets from the same text)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class RandomTextDataset(Dataset):
    def __init__(self, vocab_size=33, block_size=10, n=16):
        self.data = torch.randint(0, vocab_size, (n * block_size + 1,))
        self.block_size = block_size
        self.vocab_size = vocab_size

    def __len__(self):
        return (len(self.data) - 1) // self.block_size

    def __getitem__(self, i):
        s = i * self.block_size
        return self.data[s:s + self.block_size], self.data[s + 1:s + 1 + self.block_size]


class PositionalEncoding(nn.Module):
    def __init__(self, dim, max_len=256):
        super().__init__()
        pe = torch.zeros(max_len, dim)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class Transformer(nn.Module):
    def __init__(self, vocab_size, ninp=32, nhead=4, nhid=64, nlayers=2, dropout=0.1):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.pos_encoder = PositionalEncoding(ninp)
        self.transformer = nn.Transformer(
            d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers,
            dim_feedforward=nhid, dropout=dropout, batch_first=True,
        )
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size

    def forward(self, inputs, target):
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        tgt = self.pos_encoder(self.embedding(target) * math.sqrt(self.ninp))
        output = self.transformer(src, tgt)  # BUG
        output = self.decoder(output)
        return output.view(-1, self.vocab_size)


def training_step(model, batch):
    inputs, target = batch
    output = model(inputs, target)
    return F.nll_loss(F.log_softmax(output, dim=-1), target.view(-1))


if __name__ == "__main__":
    torch.manual_seed(0)
    ds = RandomTextDataset()
    model = Transformer(ds.vocab_size)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for batch in DataLoader(ds, batch_size=4):
        loss = training_step(model, batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(loss.item())
