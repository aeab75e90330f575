"""Clinical trial eligibility criteria tagger with a hand-written BERT encoder."""
import math

import torch
import torch.nn as nn


class BertSelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.output = nn.Linear(hidden, hidden)
        self.norm = nn.LayerNorm(hidden)

    def transpose_for_scores(self, x):
        return x.view(*x.shape[:2], self.heads, -1).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask):
        q = self.transpose_for_scores(self.query(hidden_states))
        k = self.transpose_for_scores(self.key(hidden_states))
        v = self.transpose_for_scores(self.value(hidden_states))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.size(-1))
        scores = scores + attention_mask
        ctx = torch.matmul(nn.functional.softmax(scores, dim=-1), v)
        ctx = ctx.permute(0, 2, 1, 3).reshape(hidden_states.shape)
        return self.norm(hidden_states + self.output(ctx))


class EligibilityTagger(nn.Module):
    def __init__(self, vocab=3000, hidden=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(BertSelfAttention(hidden, heads) for _ in range(2))
        self.cls = nn.Linear(hidden, 3)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        extended = attention_mask.unsqueeze(1).unsqueeze(2).to(dtype=x.dtype)
        extended = (1.0 - extended) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, extended)
        return self.cls(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 3000, (2, 10))
    att = torch.tensor([[1] * 10, [1] * 6 + [0] * 4])
    model = EligibilityTagger()
    a = model(ids, att)
    ids2 = ids.clone()
    ids2[1, 6:] = 7
    print("pad-invariant", torch.allclose(a[1, :6], model(ids2, att)[1, :6], atol=1e-5))
