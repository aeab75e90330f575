import torch
import torch.nn as nn

from .vocab import COMMANDS


class PlotterNet(nn.Module):
    def __init__(self, d=32, nhead=4, layers=2, max_len=64):
        super().__init__()
        self.emb = nn.Embedding(len(COMMANDS), d)
        self.pos = nn.Embedding(max_len, d)
        self.body = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), layers, enable_nested_tensor=False)
        self.out = nn.Linear(d, len(COMMANDS))

    def forward(self, tokens, causal=False):
        T = tokens.size(1)
        x = self.emb(tokens) + self.pos(torch.arange(T, device=tokens.device))
        mask = nn.Transformer.generate_square_subsequent_mask(T, device=tokens.device) if causal else None
        return self.out(self.body(x, mask=mask, is_causal=causal))
