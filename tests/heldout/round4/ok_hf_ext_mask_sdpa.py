"""BERT-style encoder with two attention backends: SDPA (bool keep mask) and eager (additive)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, hidden=256, heads=4, impl="sdpa"):
        super().__init__()
        self.h = heads
        self.impl = impl
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, hidden)

    def _split(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.h, -1).transpose(1, 2)

    def forward(self, hidden_states, attention_mask):
        # attention_mask: (batch, seq) from the tokenizer, 1 = token, 0 = padding
        q = self._split(self.query(hidden_states))
        k = self._split(self.key(hidden_states))
        v = self._split(self.value(hidden_states))
        ext = attention_mask.unsqueeze(1).unsqueeze(2)                 # (b, 1, 1, s)
        if self.impl == "sdpa":
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=ext.bool())
        else:
            add = torch.where(ext.bool(), 0.0, torch.finfo(q.dtype).min).to(q.dtype)
            scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1)) + add
            ctx = scores.softmax(-1) @ v
        b, _, s, _ = ctx.shape
        return self.out(ctx.transpose(1, 2).reshape(b, s, -1))


class Encoder(nn.Module):
    def __init__(self, vocab=30522, hidden=256, layers=4, impl="sdpa"):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden, padding_idx=0)
        self.pos = nn.Embedding(512, hidden)
        self.attn = nn.ModuleList(SelfAttention(hidden, impl=impl) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        for attn, ln in zip(self.attn, self.ln):
            x = ln(x + attn(x, attention_mask))
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.tensor([[101, 7, 8, 9, 102], [101, 5, 102, 0, 0]])
    am = (ids != 0).long()
    a = Encoder(impl="sdpa")
    b = Encoder(impl="eager")
    b.load_state_dict(a.state_dict())
    print(torch.allclose(a(ids, am)[:, :3], b(ids, am)[:, :3], atol=1e-4))
