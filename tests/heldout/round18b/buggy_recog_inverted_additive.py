"""Biomedical named-entity tagger, BERT-style encoder written out by hand."""
import math

import torch
import torch.nn as nn

TAGS = ["O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease"]


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.norm = nn.LayerNorm(hidden)

    def forward(self, x, extended_mask):
        B, S, H = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        probs = (scores + extended_mask).softmax(-1)
        ctx = (probs @ v).transpose(1, 2).reshape(B, S, H)
        return self.norm(x + self.out(ctx))


class NERTagger(nn.Module):
    def __init__(self, vocab=5000, hidden=32, heads=4, layers=2):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(128, hidden)
        self.layers = nn.ModuleList(SelfAttention(hidden, heads) for _ in range(layers))
        self.tagger = nn.Linear(hidden, len(TAGS))

    def get_extended_attention_mask(self, attention_mask, dtype):
        ext = attention_mask[:, None, None, :].to(dtype)
        return ext * torch.finfo(dtype).min  # BUG: multiplies the keep mask (1 = token) by finfo.min: real tokens blocked, padding open

    def forward(self, input_ids, attention_mask):
        x = self.word(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        ext = self.get_extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, ext)
        return self.tagger(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 5000, (2, 12))
    att = torch.ones(2, 12, dtype=torch.long)
    att[1, 7:] = 0
    logits = NERTagger()(ids, att)
    print("tags", logits.argmax(-1).tolist(), "conf", round(logits.softmax(-1).max(-1).values[att.bool()].mean().item(), 5))
