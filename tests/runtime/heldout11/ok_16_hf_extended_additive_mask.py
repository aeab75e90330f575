# EXPECT: ok
"""Eager BERT-style attention with the classic extended mask: (1 - mask) * dtype-min,
built once in the model and added to the scores in every layer."""
import math

import torch
import torch.nn as nn


class BertSelfAttention(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.h, self.d = heads, hidden // heads
        self.query, self.key, self.value = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(p)

    def forward(self, x, attention_mask):
        B, T, _ = x.shape
        split = lambda t: t.view(B, T, self.h, self.d).permute(0, 2, 1, 3)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d)
        scores = scores + attention_mask
        probs = self.dropout(scores.softmax(-1))
        return torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(B, T, -1)


class Layer(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.attn = BertSelfAttention(hidden, heads, p)
        self.dense, self.ln1 = nn.Linear(hidden, hidden), nn.LayerNorm(hidden)
        self.ffn, self.ln2 = nn.Sequential(nn.Linear(hidden, 2 * hidden), nn.GELU(), nn.Linear(2 * hidden, hidden)), nn.LayerNorm(hidden)
        self.drop = nn.Dropout(p)

    def forward(self, x, ext):
        x = self.ln1(x + self.drop(self.dense(self.attn(x, ext))))
        return self.ln2(x + self.drop(self.ffn(x)))


class BertLike(nn.Module):
    def __init__(self, vocab=80, hidden=32, heads=4, layers=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(64, hidden)
        self.layers = nn.ModuleList([Layer(hidden, heads, p) for _ in range(layers)])
        self.pooler = nn.Linear(hidden, hidden)
        self.cls = nn.Linear(hidden, 2)

    def get_extended_attention_mask(self, attention_mask, dtype):
        ext = attention_mask[:, None, None, :].to(dtype)
        return (1.0 - ext) * torch.finfo(dtype).min

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        ext = self.get_extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, ext)
        return self.cls(torch.tanh(self.pooler(x[:, 0])))


def run():
    torch.manual_seed(0)
    model = BertLike()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    lengths = torch.tensor([10, 6, 3, 8])
    attention_mask = (torch.arange(10)[None, :] < lengths[:, None]).long()
    input_ids = torch.randint(1, 80, (4, 10)) * attention_mask
    labels = torch.tensor([1, 0, 0, 1])
    model.train()
    loss = nn.functional.cross_entropy(model(input_ids, attention_mask), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(input_ids, attention_mask)
    return [loss.detach(), ev]
