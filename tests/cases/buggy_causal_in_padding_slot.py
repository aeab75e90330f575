"""A causal mask given positionally lands in key_padding_mask: one finding (ML501), not also a
missing causal mask."""
import torch
from torch import nn


class MusicLM(nn.Module):
    def __init__(self, vocab=400, d=64, h=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.tok(ids)
        T = x.size(1)
        causal = torch.ones(T, T, dtype=torch.bool, device=x.device).triu_(1)
        h, _ = self.attn(x, x, x, causal)  # expect: ML501
        return self.head(h)
