# EXPECT: bug the 0/1 attention_mask is used directly as the masked_fill condition (the `== 0` is dropped), so the scores of the real tokens are filled with -inf-like values and attention goes to the padding.
"""Imitates Hugging Face DistilBERT's MultiHeadSelfAttention (einsum-free but the
same shape/unshape helpers, mask reshaped to (bs, 1, 1, k_length) and expanded
with expand_as) used for token classification (NER)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, dim, n_heads, attention_dropout):
        super().__init__()
        self.n_heads, self.dim = n_heads, dim
        self.dropout = nn.Dropout(p=attention_dropout)
        self.q_lin = nn.Linear(dim, dim)
        self.k_lin = nn.Linear(dim, dim)
        self.v_lin = nn.Linear(dim, dim)
        self.out_lin = nn.Linear(dim, dim)

    def forward(self, query, key, value, mask):
        bs, q_length, dim = query.size()
        k_length = key.size(1)
        dim_per_head = self.dim // self.n_heads
        mask_reshp = (bs, 1, 1, k_length)

        def shape(x):
            return x.view(bs, -1, self.n_heads, dim_per_head).transpose(1, 2)

        def unshape(x):
            return x.transpose(1, 2).contiguous().view(bs, -1, self.n_heads * dim_per_head)

        q = shape(self.q_lin(query)) / math.sqrt(dim_per_head)
        k = shape(self.k_lin(key))
        v = shape(self.v_lin(value))
        scores = torch.einsum("bhqd,bhkd->bhqk", q, k)
        mask = mask.view(mask_reshp).bool().expand_as(scores)
        scores = scores.masked_fill(mask, torch.tensor(torch.finfo(scores.dtype).min))  # BUG-SITE
        weights = self.dropout(nn.functional.softmax(scores, dim=-1))
        context = unshape(torch.einsum("bhqk,bhkd->bhqd", weights, v))
        return self.out_lin(context)


class TransformerBlock(nn.Module):
    def __init__(self, dim, n_heads, hidden_dim, dropout):
        super().__init__()
        self.attention = MultiHeadSelfAttention(dim, n_heads, dropout)
        self.sa_layer_norm = nn.LayerNorm(dim, eps=1e-12)
        self.ffn = nn.Sequential(nn.Linear(dim, hidden_dim), nn.GELU(), nn.Linear(hidden_dim, dim), nn.Dropout(dropout))
        self.output_layer_norm = nn.LayerNorm(dim, eps=1e-12)

    def forward(self, x, attn_mask):
        sa_output = self.sa_layer_norm(self.attention(x, x, x, attn_mask) + x)
        return self.output_layer_norm(self.ffn(sa_output) + sa_output)


class DistilBertForTokenClassification(nn.Module):
    def __init__(self, vocab=50, dim=32, n_heads=4, n_layers=2, hidden_dim=64, num_labels=5, dropout=0.1):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, dim, padding_idx=0)
        self.position_embeddings = nn.Embedding(16, dim)
        self.LayerNorm = nn.LayerNorm(dim, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        self.layer = nn.ModuleList([TransformerBlock(dim, n_heads, hidden_dim, dropout) for _ in range(n_layers)])
        self.classifier = nn.Linear(dim, num_labels)

    def forward(self, input_ids, attention_mask):
        pos = torch.arange(input_ids.size(1))
        h = self.dropout(self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        for layer in self.layer:
            h = layer(h, attention_mask)
        return self.classifier(self.dropout(h))


class DataCollatorForTokenClassification:
    label_pad_token_id = -100

    def __call__(self, features):
        n = max(len(f["input_ids"]) for f in features)
        batch = {"input_ids": [], "attention_mask": [], "labels": []}
        for f in features:
            pad = n - len(f["input_ids"])
            batch["input_ids"].append(f["input_ids"] + [0] * pad)
            batch["attention_mask"].append([1] * len(f["input_ids"]) + [0] * pad)
            batch["labels"].append(f["labels"] + [self.label_pad_token_id] * pad)
        return {k: torch.tensor(v) for k, v in batch.items()}


def features(g, lengths):
    return [
        {"input_ids": torch.randint(1, 50, (n,), generator=g).tolist(), "labels": torch.randint(0, 5, (n,), generator=g).tolist()}
        for n in lengths
    ]


def run():
    torch.manual_seed(0)
    model = DistilBertForTokenClassification()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
    collator = DataCollatorForTokenClassification()
    g = torch.Generator().manual_seed(43)
    batch = collator(features(g, [9, 14, 6, 11]))

    model.train()
    logits = model(batch["input_ids"], batch["attention_mask"])
    loss = F.cross_entropy(logits.view(-1, 5), batch["labels"].view(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ev = collator(features(g, [7, 12, 4]))
        ev_logits = model(ev["input_ids"], ev["attention_mask"])
        ev_logits = ev_logits * ev["attention_mask"].unsqueeze(-1)
    return [loss.detach(), *grads, ev_logits]
