# EXPECT: bug
"""Eager BERT-style self-attention copied from an HF modeling file; the model wrapper
forwards the tokenizer mask straight to the layers."""
import math

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.h = heads
        self.d = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(p)

    def transpose_for_scores(self, x):
        return x.view(x.size(0), x.size(1), self.h, self.d).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask=None):
        q = self.transpose_for_scores(self.query(hidden_states))
        k = self.transpose_for_scores(self.key(hidden_states))
        v = self.transpose_for_scores(self.value(hidden_states))
        attention_scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d)
        if attention_mask is not None:
            # the mask is precomputed for all layers in Model.forward()
            attention_scores = attention_scores + attention_mask  # BUG-SITE
        probs = self.dropout(nn.functional.softmax(attention_scores, dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.size(0), ctx.size(1), -1)


class Layer(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.attn = SelfAttention(hidden, heads, p)
        self.out = nn.Linear(hidden, hidden)
        self.ln = nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(), nn.Linear(4 * hidden, hidden))
        self.ln2 = nn.LayerNorm(hidden)
        self.drop = nn.Dropout(p)

    def forward(self, x, mask):
        x = self.ln(x + self.drop(self.out(self.attn(x, mask))))
        return self.ln2(x + self.drop(self.ffn(x)))


class Model(nn.Module):
    def __init__(self, vocab=80, hidden=32, heads=4, n_layers=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(64, hidden)
        self.layers = nn.ModuleList([Layer(hidden, heads, p) for _ in range(n_layers)])
        self.head = nn.Linear(hidden, 2)

    def get_extended_attention_mask(self, attention_mask):
        # [batch, seq] -> [batch, 1, 1, seq] so it broadcasts over heads and queries
        return attention_mask[:, None, None, :]

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        ext = self.get_extended_attention_mask(attention_mask)
        for layer in self.layers:
            x = layer(x, ext)
        return self.head(x[:, 0])


def run():
    torch.manual_seed(0)
    model = Model()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    lengths = torch.tensor([10, 6, 3, 8])
    input_ids = torch.randint(1, 80, (4, 10))
    attention_mask = (torch.arange(10)[None, :] < lengths[:, None]).long()
    input_ids = input_ids * attention_mask
    labels = torch.tensor([1, 0, 0, 1])
    model.train()
    logits = model(input_ids, attention_mask)
    loss = nn.functional.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(input_ids, attention_mask)
    return [loss.detach(), ev]
