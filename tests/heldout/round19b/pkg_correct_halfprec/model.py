import torch
import torch.nn as nn

from .attention import CrossAttention, SelfAttention


class ReaderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.self_attn = SelfAttention(dim, heads)
        self.cross_attn = CrossAttention(dim, heads)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, q_h, q_keep, p_h, p_keep):
        q_h = q_h + self.self_attn(self.ln1(q_h), q_keep)
        q_h = q_h + self.cross_attn(self.ln2(q_h), p_h, p_keep)
        return q_h + self.ff(self.ln3(q_h))


class Reader(nn.Module):
    def __init__(self, vocab=3000, dim=64, heads=4, layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.layers = nn.ModuleList(ReaderLayer(dim, heads) for _ in range(layers))
        self.start = nn.Linear(dim, 1)
        self.end = nn.Linear(dim, 1)

    def forward(self, question, passage):
        q_keep = question.ne(self.pad_id)
        p_keep = passage.ne(self.pad_id)
        q_h, p_h = self.embed(question), self.embed(passage)
        for layer in self.layers:
            q_h = layer(q_h, q_keep, p_h, p_keep)
        return self.start(q_h).squeeze(-1), self.end(q_h).squeeze(-1)
