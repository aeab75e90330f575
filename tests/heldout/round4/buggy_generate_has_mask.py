"""Word-level language model (after pytorch/examples word_language_model), seq-first."""
import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(1))

    def forward(self, x):
        return self.dropout(x + self.pe[: x.size(0)])


class Model(nn.Module):
    def __init__(self, ntoken, ninp=200, nhead=2, nhid=200, nlayers=2, dropout=0.2):
        super().__init__()
        self.src_mask = None
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        layer = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(layer, nlayers)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.decoder = nn.Linear(ninp, ntoken)
        self.ninp = ninp

    def forward(self, src, has_mask=True):
        if has_mask:
            if self.src_mask is None or self.src_mask.size(0) != len(src):
                self.src_mask = nn.Transformer.generate_square_subsequent_mask(len(src)).to(src.device)
        else:
            self.src_mask = None
        src = self.pos_encoder(self.encoder(src) * math.sqrt(self.ninp))
        output = self.transformer_encoder(src, self.src_mask)  # expect: ML401
        return torch.log_softmax(self.decoder(output), dim=-1)


def train_batch(model, data, targets, criterion, lr=5.0):
    model.train()
    model.zero_grad()
    output = model(data)
    loss = criterion(output.view(-1, output.size(-1)), targets)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
    for p in model.parameters():
        p.data.add_(p.grad, alpha=-lr)
    return loss.item()


@torch.no_grad()
def generate(model, ntokens, words=100, temperature=1.0, device="cpu"):
    model.eval()
    inp = torch.randint(ntokens, (1, 1), dtype=torch.long, device=device)
    out = []
    for _ in range(words):
        output = model(inp, has_mask=False)
        weights = output[-1].squeeze().div(temperature).exp()
        idx = torch.multinomial(weights, 1)[0]
        inp = torch.cat([inp, idx.view(1, 1)], 0)
        out.append(idx.item())
    return out
