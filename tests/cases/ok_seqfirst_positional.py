"""Sequence-first LM block calling nn.MultiheadAttention fully positionally."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SeqFirstBlock(nn.Module):
    def __init__(self, d_model=64, nhead=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead)
        self.ff = nn.Linear(d_model, d_model)

    def forward(self, x, pad):
        # x: (T, N, E); pad: (N, T) True at padding
        mask = nn.Transformer.generate_square_subsequent_mask(x.size(0), device=x.device, dtype=torch.bool)
        h, _ = self.attn(x, x, x, pad, False, mask)
        return self.ff(x + h)


class SeqFirstLM(nn.Module):
    def __init__(self, vocab=256, d_model=64, nhead=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.block = SeqFirstBlock(d_model, nhead)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens, pad):
        return self.head(self.block(self.emb(tokens), pad))


def step(model, tokens, pad):
    logits = model(tokens[:-1], pad[:, :-1])
    return F.cross_entropy(logits.flatten(0, 1), tokens[1:].flatten())
