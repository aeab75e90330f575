# EXPECT: bug
"""Word-level language model on nn.TransformerEncoder (the tutorial shape) that
passes only the padding mask: no causal mask, so each position reads the
token it is trained to predict."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class PositionalEncoding(nn.Module):
    def __init__(self, d, p=0.1, max_len=64):
        super().__init__()
        self.dropout = nn.Dropout(p)
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe = torch.zeros(max_len, d)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return self.dropout(x + self.pe[: x.size(1)])


class TransformerLM(nn.Module):
    def __init__(self, ntoken=64, d=32, nhead=4, nhid=64, nlayers=2, p=0.2):
        super().__init__()
        self.d = d
        self.embedding = nn.Embedding(ntoken, d)
        self.pos_encoder = PositionalEncoding(d, p)
        layers = nn.TransformerEncoderLayer(d, nhead, nhid, p, batch_first=True)
        self.transformer_encoder = nn.TransformerEncoder(layers, nlayers, enable_nested_tensor=False)
        self.decoder = nn.Linear(d, ntoken)

    def forward(self, src, pad_mask):
        x = self.pos_encoder(self.embedding(src) * math.sqrt(self.d))
        x = self.transformer_encoder(x, src_key_padding_mask=pad_mask)  # BUG-SITE
        return self.decoder(x)


def run():
    torch.manual_seed(11)
    PAD = 0
    data = torch.randint(1, 64, (6, 12))
    data[4, 8:] = PAD
    data[1, 10:] = PAD
    inp, tgt = data[:, :-1], data[:, 1:]
    model = TransformerLM()
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    model.train()
    out = model(inp, inp == PAD)
    loss = F.cross_entropy(out.reshape(-1, 64), tgt.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    g = model.embedding.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        out = model(inp, inp == PAD)
    return [loss.detach(), g, out]
