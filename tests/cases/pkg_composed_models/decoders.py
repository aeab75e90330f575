import torch
from torch import nn


class TextDecoder(nn.Module):
    def __init__(self, vocab=60, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.stack = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, 0.0, batch_first=True), layers)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tokens, memory, memory_padding=None):
        n = tokens.size(1)
        future = torch.triu(torch.ones(n, n, dtype=torch.bool, device=tokens.device), 1)
        h = self.stack(self.embed(tokens), memory, tgt_mask=future, memory_key_padding_mask=memory_padding)
        return self.out(h)
