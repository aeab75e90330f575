"""Correct: PyTorch word-language-model tutorial style: float -inf causal mask, batch_first=False, training."""
import math

import torch
import torch.nn as nn

KIND = "correct"


class TransformerModel(nn.Module):
    def __init__(self, ntoken=40, d_model=16, nhead=2, d_hid=32, nlayers=2, dropout=0.1):
        super().__init__()
        self.embedding = nn.Embedding(ntoken, d_model)
        self.transformer_encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout), nlayers)
        self.linear = nn.Linear(d_model, ntoken)
        self.d_model = d_model

    def forward(self, src, src_mask=None):
        src = self.embedding(src) * math.sqrt(self.d_model)
        if src_mask is None:
            src_mask = nn.Transformer.generate_square_subsequent_mask(len(src))
        output = self.transformer_encoder(src, src_mask)
        return self.linear(output)


def _setup():
    torch.manual_seed(0)
    return TransformerModel().train(), torch.randint(0, 40, (7, 3))


def run():
    m, src = _setup()
    torch.manual_seed(2)
    return (m(src),)


def verify():
    m, src = _setup()
    s2 = src.clone()
    s2[-1] = (s2[-1] + 1) % 40
    torch.manual_seed(2)
    a = m(src)
    torch.manual_seed(2)
    b = m(s2)
    d = (a[:-1] - b[:-1]).abs().max().item()
    return d == 0.0 and not torch.isnan(a).any(), f"earlier positions moved by {d} when the last token changed"
