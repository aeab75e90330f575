# EXPECT: clean
"""Imitates Alibaba's Behavior Sequence Transformer / DIN-style recommenders
(e.g. DeepCTR-Torch, FuxiCTR): a hand-written transformer layer over the
left-aligned, zero-padded user behaviour sequence using torch.where(mask,
scores, -inf), followed by target-attention pooling with a masked softmax and a
CTR head. Every user has at least one behaviour."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class BehaviorSelfAttention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.W_q = nn.Linear(d, d, bias=False)
        self.W_k = nn.Linear(d, d, bias=False)
        self.W_v = nn.Linear(d, d, bias=False)
        self.W_o = nn.Linear(d, d)
        self.drop = nn.Dropout(dropout)
        self.ln = nn.LayerNorm(d)

    def forward(self, x, valid):
        B, L, D = x.shape
        q = self.W_q(x).view(B, L, self.h, self.dh).transpose(1, 2)
        k = self.W_k(x).view(B, L, self.h, self.dh).transpose(1, 2)
        v = self.W_v(x).view(B, L, self.h, self.dh).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        scores = torch.where(valid[:, None, None, :], scores, torch.full_like(scores, float("-inf")))
        attn = self.drop(torch.softmax(scores, dim=-1))
        out = (attn @ v).transpose(1, 2).reshape(B, L, D)
        return self.ln(x + self.W_o(out))


class TargetAttentionPooling(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(4 * d, 16), nn.PReLU(), nn.Linear(16, 1))

    def forward(self, target, seq, valid):
        t = target.unsqueeze(1).expand_as(seq)
        score = self.mlp(torch.cat([t, seq, t - seq, t * seq], dim=-1)).squeeze(-1)  # [B, L]
        score = score.masked_fill(~valid, float("-inf"))
        w = torch.softmax(score, dim=-1)
        return (w.unsqueeze(-1) * seq).sum(1)


class BST(nn.Module):
    def __init__(self, n_items=60, d=32, heads=4, max_len=10, dropout=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(n_items, d, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, d)
        self.transformer = BehaviorSelfAttention(d, heads, dropout)
        self.pool = TargetAttentionPooling(d)
        self.dnn = nn.Sequential(nn.Linear(2 * d, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, 1))

    def forward(self, hist, target):
        valid = hist.ne(0)
        seq = self.item_emb(hist) + self.pos_emb(torch.arange(hist.size(1)))
        seq = self.transformer(seq, valid)
        t = self.item_emb(target)
        interest = self.pool(t, seq, valid)
        return self.dnn(torch.cat([interest, t], dim=-1)).squeeze(-1)


def make_batch(g, lengths, max_len=10):
    hist = torch.zeros(len(lengths), max_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        hist[i, :n] = torch.randint(1, 60, (n,), generator=g)
    target = torch.randint(1, 60, (len(lengths),), generator=g)
    return hist, target


def run():
    torch.manual_seed(0)
    model = BST()
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    g = torch.Generator().manual_seed(167)
    hist, target = make_batch(g, [10, 3, 7, 1, 5, 8])
    click = torch.tensor([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])

    model.train()
    loss = F.binary_cross_entropy_with_logits(model(hist, target), click)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ctr = torch.sigmoid(model(*make_batch(g, [2, 9, 4, 6])))
    return [loss.detach(), *grads, ctr]
