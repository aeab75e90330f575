"""Correct: decoder-only LM on TransformerEncoder with a causal mask AND is_causal=True, eval + no_grad."""
import torch
import torch.nn as nn

KIND = "correct"


class GPTLike(nn.Module):
    def __init__(self, vocab_size=40, d_model=16, nhead=2):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 32, batch_first=True), 2)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        T = idx.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        h = self.blocks(self.tok(idx), mask=causal, is_causal=True)
        return self.lm_head(h)


def _setup():
    torch.manual_seed(0)
    return GPTLike().eval(), torch.randint(0, 40, (2, 7))


def run():
    m, idx = _setup()
    with torch.no_grad():
        return (m(idx),)


def verify():
    m, idx = _setup()
    i2 = idx.clone()
    i2[:, -1] = (i2[:, -1] + 1) % 40
    with torch.no_grad():
        a, b = m(idx), m(i2)
    d = (a[:, :-1] - b[:, :-1]).abs().max().item()
    return d < 1e-5, f"earlier positions moved by {d:.3g}"
