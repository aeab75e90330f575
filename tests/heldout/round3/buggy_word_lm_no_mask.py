"""Word-level language model on WikiText-2 with nn.TransformerEncoder
(seq-first). Trained with next-token prediction over bptt chunks."""
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

bptt = 35


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0).transpose(0, 1))

    def forward(self, x):
        return self.dropout(x + self.pe[: x.size(0), :])


class TransformerLM(nn.Module):
    def __init__(self, ntoken, ninp=200, nhead=2, nhid=200, nlayers=2, dropout=0.2):
        super().__init__()
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        layer = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(layer, nlayers)
        self.embedding = nn.Embedding(ntoken, ninp)
        self.ninp = ninp
        self.decoder = nn.Linear(ninp, ntoken)

    def forward(self, src):
        # src: (seq_len, batch)
        src = self.embedding(src) * math.sqrt(self.ninp)
        src = self.pos_encoder(src)
        output = self.transformer_encoder(src)  # expect: ML401
        return F.log_softmax(self.decoder(output), dim=-1)


def get_batch(source, i):
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i: i + seq_len]
    target = source[i + 1: i + 1 + seq_len].reshape(-1)
    return data, target


def train(model, train_data, ntokens, lr=5.0, epoch=1):
    model.train()
    criterion = nn.NLLLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    total_loss, start = 0.0, time.time()
    for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
        data, targets = get_batch(train_data, i)
        output = model(data)
        loss = criterion(output.view(-1, ntokens), targets)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        total_loss += loss.item()
        if batch % 200 == 0 and batch > 0:
            cur = total_loss / 200
            print(f"| epoch {epoch} | {batch} batches | loss {cur:5.2f} | ppl {math.exp(cur):8.2f} "
                  f"| {(time.time() - start) * 1000 / 200:5.2f} ms/batch")
            total_loss, start = 0.0, time.time()


@torch.no_grad()
def generate(model, prompt_ids, n_words=50):
    model.eval()
    ids = prompt_ids.view(-1, 1)
    for _ in range(n_words):
        logp = model(ids[-bptt:])[-1, 0]
        ids = torch.cat([ids, torch.multinomial(logp.exp(), 1).view(1, 1)], dim=0)
    return ids.view(-1)
