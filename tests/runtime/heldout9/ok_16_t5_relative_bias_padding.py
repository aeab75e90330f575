# EXPECT: clean
"""Imitates Hugging Face T5 (T5Attention with _relative_position_bucket, the
position_bias computed once in the first layer and reused, the extended padding
mask `(1.0 - mask) * finfo.min` folded into position_bias, scores += position_bias,
no 1/sqrt(d) scaling) as an encoder-only sentence classifier."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _relative_position_bucket(relative_position, bidirectional=True, num_buckets=16, max_distance=32):
    relative_buckets = 0
    if bidirectional:
        num_buckets //= 2
        relative_buckets += (relative_position > 0).to(torch.long) * num_buckets
        relative_position = torch.abs(relative_position)
    else:
        relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    rel_if_large = max_exact + (
        torch.log(relative_position.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).to(torch.long)
    rel_if_large = torch.min(rel_if_large, torch.full_like(rel_if_large, num_buckets - 1))
    return relative_buckets + torch.where(is_small, relative_position, rel_if_large)


class T5Attention(nn.Module):
    def __init__(self, d, heads, dropout, has_relative_attention_bias):
        super().__init__()
        self.n_heads, self.key_value_proj_dim = heads, d // heads
        self.q = nn.Linear(d, d, bias=False)
        self.k = nn.Linear(d, d, bias=False)
        self.v = nn.Linear(d, d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.dropout = dropout
        self.has_relative_attention_bias = has_relative_attention_bias
        if has_relative_attention_bias:
            self.relative_attention_bias = nn.Embedding(16, heads)

    def compute_bias(self, q_len, k_len):
        context_position = torch.arange(q_len)[:, None]
        memory_position = torch.arange(k_len)[None, :]
        buckets = _relative_position_bucket(memory_position - context_position)
        return self.relative_attention_bias(buckets).permute(2, 0, 1).unsqueeze(0)  # [1, H, q, k]

    def forward(self, hidden_states, mask=None, position_bias=None):
        B, T, _ = hidden_states.shape

        def shape(s):
            return s.view(B, -1, self.n_heads, self.key_value_proj_dim).transpose(1, 2)

        q, k, v = shape(self.q(hidden_states)), shape(self.k(hidden_states)), shape(self.v(hidden_states))
        scores = torch.matmul(q, k.transpose(3, 2))
        if position_bias is None:
            position_bias = self.compute_bias(T, T)
            if mask is not None:
                position_bias = position_bias + mask  # [B, H, T, T]
        scores += position_bias
        attn_weights = F.dropout(F.softmax(scores.float(), dim=-1), p=self.dropout, training=self.training)
        attn_output = torch.matmul(attn_weights, v).transpose(1, 2).reshape(B, T, -1)
        return self.o(attn_output), position_bias


class T5LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class T5Block(nn.Module):
    def __init__(self, d, heads, dropout, first):
        super().__init__()
        self.ln1 = T5LayerNorm(d)
        self.SelfAttention = T5Attention(d, heads, dropout, has_relative_attention_bias=first)
        self.ln2 = T5LayerNorm(d)
        self.wi = nn.Linear(d, 2 * d, bias=False)
        self.wo = nn.Linear(2 * d, d, bias=False)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask, position_bias):
        a, position_bias = self.SelfAttention(self.ln1(x), mask=mask, position_bias=position_bias)
        x = x + self.drop(a)
        return x + self.drop(self.wo(self.drop(F.relu(self.wi(self.ln2(x)))))), position_bias


class T5EncoderForClassification(nn.Module):
    def __init__(self, vocab=50, d=32, heads=4, layers=2, num_labels=3, dropout=0.1):
        super().__init__()
        self.shared = nn.Embedding(vocab, d)
        self.block = nn.ModuleList([T5Block(d, heads, dropout, first=(i == 0)) for i in range(layers)])
        self.final_layer_norm = T5LayerNorm(d)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(d, num_labels)

    def forward(self, input_ids, attention_mask):
        x = self.dropout(self.shared(input_ids))
        extended = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        position_bias = None
        for blk in self.block:
            x, position_bias = blk(x, extended, position_bias)
        x = self.dropout(self.final_layer_norm(x))
        m = attention_mask.unsqueeze(-1).float()
        return self.head((x * m).sum(1) / m.sum(1))


def batch(g, lengths, eos=1):
    T = max(lengths)
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    am = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, : n - 1] = torch.randint(2, 50, (n - 1,), generator=g)
        ids[i, n - 1] = eos
        am[i, :n] = 1
    return ids, am


def run():
    torch.manual_seed(0)
    model = T5EncoderForClassification()
    opt = torch.optim.Adafactor(model.parameters(), lr=1e-2) if hasattr(torch.optim, "Adafactor") else torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(179)
    ids, am = batch(g, [12, 4, 9, 6])
    labels = torch.tensor([2, 0, 1, 1])

    model.train()
    loss = F.cross_entropy(model(ids, am), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        probs = model(*batch(g, [5, 11, 3])).softmax(-1)
    return [loss.detach(), *grads, probs]
