import torch
import torch.nn as nn

from .tokens import BOS


class TrackModel(nn.Module):
    def __init__(self, d_model=32, nhead=4, num_layers=2, max_len=64):
        super().__init__()
        self.cell = nn.Embedding(BOS + 1, d_model)
        self.step = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.blocks = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, BOS)

    def forward(self, tokens, causal: bool = False):
        T = tokens.size(1)
        x = self.cell(tokens) + self.step(torch.arange(T, device=tokens.device))
        mask = None
        if causal:
            mask = torch.triu(torch.full((T, T), float("-inf"), device=tokens.device), diagonal=1)
        return self.head(self.blocks(x, mask=mask))
