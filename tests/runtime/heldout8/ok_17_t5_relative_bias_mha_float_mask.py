# EXPECT: clean
"""T5-style encoder: a learned, bucketed relative position bias (one scalar per
head and bucket) is combined with the padding mask into a float
(B*H, L, S) attn_mask for nn.MultiheadAttention (additive on every MHA path),
laid out batch-major (b*H + h) via reshape of a (B, H, L, S) tensor.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def relative_position_bucket(relative_position, num_buckets=16, max_distance=32):
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


class T5Encoder(nn.Module):
    def __init__(self, vocab=60, d_model=32, n_heads=4, n_layers=2, num_buckets=16, dropout=0.1):
        super().__init__()
        self.n_heads = n_heads
        self.num_buckets = num_buckets
        self.embed = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.relative_attention_bias = nn.Embedding(num_buckets, n_heads)
        self.attn = nn.ModuleList([nn.MultiheadAttention(d_model, n_heads, dropout=dropout, bias=False, batch_first=True)
                                   for _ in range(n_layers)])
        self.ln_attn = nn.ModuleList([nn.RMSNorm(d_model) for _ in range(n_layers)])
        self.ff = nn.ModuleList([nn.Sequential(nn.Linear(d_model, 2 * d_model, bias=False), nn.ReLU(), nn.Dropout(dropout),
                                               nn.Linear(2 * d_model, d_model, bias=False)) for _ in range(n_layers)])
        self.ln_ff = nn.ModuleList([nn.RMSNorm(d_model) for _ in range(n_layers)])
        self.final_norm = nn.RMSNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def compute_bias(self, L, S):
        ctx = torch.arange(L)[:, None]
        mem = torch.arange(S)[None, :]
        buckets = relative_position_bucket(mem - ctx, self.num_buckets)
        return self.relative_attention_bias(buckets).permute(2, 0, 1)  # (H, L, S)

    def forward(self, input_ids):
        B, T = input_ids.shape
        pad = input_ids == PAD
        position_bias = self.compute_bias(T, T)[None].expand(B, -1, -1, -1)       # (B, H, T, T)
        position_bias = position_bias.masked_fill(pad[:, None, None, :], torch.finfo(position_bias.dtype).min)
        attn_mask = position_bias.reshape(B * self.n_heads, T, T)
        x = self.drop(self.embed(input_ids))
        for attn, ln_a, ff, ln_f in zip(self.attn, self.ln_attn, self.ff, self.ln_ff):
            h = ln_a(x)
            x = x + self.drop(attn(h, h, h, attn_mask=attn_mask, need_weights=False)[0])
            x = x + self.drop(ff(ln_f(x)))
        return self.final_norm(x), pad


class T5Classifier(nn.Module):
    def __init__(self, num_labels=3):
        super().__init__()
        self.encoder = T5Encoder()
        self.head = nn.Linear(32, num_labels)

    def forward(self, input_ids):
        h, pad = self.encoder(input_ids)
        keep = (~pad).unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1))


def make_batch(lengths, vocab=60):
    T = max(lengths)
    ids = torch.full((len(lengths), T), PAD, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1, vocab, (n,))
    return ids


def run():
    torch.manual_seed(0)
    model = T5Classifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = make_batch([12, 7, 9, 4])
    labels = torch.tensor([2, 0, 1, 1])

    model.train()
    logits = model(ids)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(ids)
    return [loss.detach(), *grads, eval_logits]
