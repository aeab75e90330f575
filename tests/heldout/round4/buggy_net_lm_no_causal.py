import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self, ntoken, d_model=256, nhead=4, nlayers=4, dropout=0.2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(ntoken, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(512, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, nlayers)
        self.decoder = nn.Linear(d_model, ntoken)
        self.d_model = d_model

    def forward(self, src):
        pad = src == self.pad_id
        pos = torch.arange(src.size(1), device=src.device)
        x = self.embed(src) * math.sqrt(self.d_model) + self.pos(pos)
        h = self.encoder(x, src_key_padding_mask=pad)  # expect: ML401
        return self.decoder(h)


def make_loader(corpus_ids, seq_len=65, batch_size=32):
    n = (len(corpus_ids) // seq_len) * seq_len
    rows = torch.tensor(corpus_ids[:n]).view(-1, seq_len)
    return DataLoader(TensorDataset(rows), batch_size=batch_size, shuffle=True)


def train(corpus_ids, ntoken, epochs=5, device="cpu"):
    model = Net(ntoken).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    loader = make_loader(corpus_ids)
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for (batch,) in loader:
            batch = batch.to(device)
            data, targets = batch[:, :-1], batch[:, 1:]
            output = model(data)
            loss = F.cross_entropy(output.reshape(-1, ntoken), targets.reshape(-1), ignore_index=0)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            opt.step()
            total += loss.item()
        print(f"epoch {epoch}: ppl {math.exp(total / len(loader)):.2f}")
    return model
