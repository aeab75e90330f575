# EXPECT: ok hand-written attention adds a 4-D float mask, but it is the converted extended mask (1 - m) * finfo(dtype).min built from the int 1=keep attention_mask, so padding is blocked correctly.
"""RoBERTa-style encoder with eager self-attention and get_extended_attention_mask, in the style of huggingface/transformers modeling_roberta / modeling_utils."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.heads = heads
        self.dh = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(p)

    def forward(self, x, attention_mask):
        B, T, D = x.shape
        q = self.query(x).view(B, T, self.heads, self.dh).transpose(1, 2)
        k = self.key(x).view(B, T, self.heads, self.dh).transpose(1, 2)
        v = self.value(x).view(B, T, self.heads, self.dh).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        scores = scores + attention_mask
        probs = self.dropout(scores.softmax(-1))
        return (probs @ v).transpose(1, 2).reshape(B, T, D)


class Layer(nn.Module):
    def __init__(self, hidden, heads, p):
        super().__init__()
        self.attention = SelfAttention(hidden, heads, p)
        self.dense = nn.Linear(hidden, hidden)
        self.ln1 = nn.LayerNorm(hidden, eps=1e-5)
        self.ffn = nn.Sequential(nn.Linear(hidden, 2 * hidden), nn.GELU(), nn.Linear(2 * hidden, hidden))
        self.ln2 = nn.LayerNorm(hidden, eps=1e-5)
        self.drop = nn.Dropout(p)

    def forward(self, x, mask):
        x = self.ln1(x + self.drop(self.dense(self.attention(x, mask))))
        return self.ln2(x + self.drop(self.ffn(x)))


class RobertaForSequenceClassification(nn.Module):
    def __init__(self, vocab=64, hidden=32, heads=4, layers=2, p=0.1, num_labels=3, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.word_embeddings = nn.Embedding(vocab, hidden, padding_idx=padding_idx)
        self.position_embeddings = nn.Embedding(20, hidden, padding_idx=padding_idx)
        self.ln = nn.LayerNorm(hidden, eps=1e-5)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList([Layer(hidden, heads, p) for _ in range(layers)])
        self.dense = nn.Linear(hidden, hidden)
        self.out_proj = nn.Linear(hidden, num_labels)

    def get_extended_attention_mask(self, attention_mask, dtype):
        extended = attention_mask[:, None, None, :].to(dtype=dtype)
        return (1.0 - extended) * torch.finfo(dtype).min

    def forward(self, input_ids, attention_mask):
        mask = input_ids.ne(self.padding_idx).int()
        position_ids = torch.cumsum(mask, dim=1) * mask + self.padding_idx
        x = self.drop(self.ln(self.word_embeddings(input_ids) + self.position_embeddings(position_ids)))
        ext = self.get_extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, ext)
        h = torch.tanh(self.dense(self.drop(x[:, 0])))
        return self.out_proj(self.drop(h))


def encode(lengths, T=12, vocab=64):
    ids = torch.ones(len(lengths), T, dtype=torch.long)
    am = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, 0] = 0
        ids[i, 1:n] = torch.randint(3, vocab, (n - 1,))
        am[i, :n] = 1
    return ids, am


def run():
    torch.manual_seed(0)
    model = RobertaForSequenceClassification()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-5)
    ids, am = encode([12, 7, 4])
    labels = torch.tensor([2, 0, 1])
    model.train()
    loss = F.cross_entropy(model(ids, am), labels)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        ids2, am2 = encode([5, 12, 9])
        logits = model(ids2, am2)
    return [loss.detach(), *grads, logits]
