# EXPECT: clean
"""Imitates sentence-transformers style heads on top of tokenizer outputs: an
nn.MultiheadAttention encoder layer plus a learned-query attention-pooling layer
(as in Set Transformer PMA / sentence-transformers' attention pooling), both fed
key_padding_mask=~attention_mask.bool(). The eval pass also returns the
averaged attention weights of the pooling query (pad columns are exactly 0)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AttentionPooling(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)

    def forward(self, x, key_padding_mask):
        q = self.query.expand(x.size(0), -1, -1)
        pooled, weights = self.attn(q, x, x, key_padding_mask=key_padding_mask, need_weights=True)
        return pooled.squeeze(1), weights.squeeze(1)


class SentenceEncoder(nn.Module):
    def __init__(self, vocab=60, d=32, heads=4, dropout=0.1, num_labels=3):
        super().__init__()
        self.embed = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(16, d)
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.ln1 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Dropout(dropout), nn.Linear(2 * d, d))
        self.ln2 = nn.LayerNorm(d)
        self.pool = AttentionPooling(d, heads, dropout)
        self.head = nn.Linear(d, num_labels)

    def forward(self, input_ids, attention_mask):
        key_padding_mask = ~attention_mask.bool()
        x = self.embed(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        a, _ = self.self_attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)
        x = self.ln1(x + a)
        x = self.ln2(x + self.ff(x))
        pooled, weights = self.pool(x, key_padding_mask)
        return self.head(pooled), weights


def tokenize(g, lengths):
    T = max(lengths)
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    am = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, 60, (n,), generator=g)
        am[i, :n] = 1
    return {"input_ids": ids, "attention_mask": am}


def run():
    torch.manual_seed(0)
    model = SentenceEncoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(131)
    batch = tokenize(g, [7, 12, 3, 9, 5])
    labels = torch.tensor([0, 1, 2, 1, 0])

    model.train()
    logits, _ = model(**batch)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ev_logits, ev_weights = model(**tokenize(g, [10, 4, 6]))
    return [loss.detach(), *grads, ev_logits, ev_weights]
