# EXPECT: ok
"""Decoder-only LM on nn.TransformerEncoder that passes the causal mask *and*
is_causal=True (the hint only describes the mask), plus a float 0/-inf padding
mask made by masked_fill from the bool one, matching the float causal mask."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalEncoderLM(nn.Module):
    def __init__(self, ntoken=64, d=32, nhead=4, layers=2, p=0.2):
        super().__init__()
        self.d = d
        self.embedding = nn.Embedding(ntoken, d)
        self.pos = nn.Parameter(torch.randn(32, d) * 0.02)
        layer = nn.TransformerEncoderLayer(d, nhead, 2 * d, p, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.lm = nn.Linear(d, ntoken)

    def forward(self, ids, pad):
        T = ids.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        pad_add = torch.zeros(pad.shape).masked_fill(pad, float("-inf"))
        x = self.embedding(ids) * math.sqrt(self.d) + self.pos[:T]
        x = self.encoder(x, mask=causal, src_key_padding_mask=pad_add, is_causal=True)
        return self.lm(x)


def run():
    torch.manual_seed(108)
    ids = torch.randint(1, 64, (4, 13))
    ids[1, 9:] = 0
    ids[3, 5:] = 0
    inp, tgt = ids[:, :-1], ids[:, 1:]
    model = CausalEncoderLM()
    opt = torch.optim.SGD(model.parameters(), lr=0.3)
    model.train()
    logits = model(inp, inp == 0)
    loss = F.cross_entropy(logits.reshape(-1, 64), tgt.reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    g = model.pos.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(inp, inp == 0)
    return [loss.detach(), g, ev]
