# EXPECT: ok a per-head ALiBi bias (-slope * distance, non-0/1 float values) with the causal part folded in as -inf is passed to SDPA as a float (1, H, L, S) attn_mask: additive by design.
"""Decoder-only LM with ALiBi positional biases in the style of ofirpress/attention_with_linear_biases and BLOOM / MPT (build_alibi_bias), using scaled_dot_product_attention."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * start ** i for i in range(n_heads)])


def build_alibi_causal_bias(n_heads, seq_len):
    i = torch.arange(seq_len)
    distance = (i[None, :] - i[:, None]).clamp(max=0).float()
    bias = get_slopes(n_heads)[:, None, None] * distance[None]
    future = torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool), 1)
    return bias.masked_fill(future, float("-inf")).unsqueeze(0)


class AlibiAttention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.Wqkv = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        self.p = p

    def forward(self, x, attn_bias):
        B, T, D = x.shape
        q, k, v = self.Wqkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias, dropout_p=self.p if self.training else 0.0)
        return self.out_proj(y.transpose(1, 2).reshape(B, T, D))


class MPTBlock(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.norm_1 = nn.LayerNorm(d)
        self.attn = AlibiAttention(d, h, p)
        self.norm_2 = nn.LayerNorm(d)
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.resid_dropout = nn.Dropout(p)

    def forward(self, x, bias):
        x = x + self.resid_dropout(self.attn(self.norm_1(x), bias))
        return x + self.resid_dropout(self.ffn(self.norm_2(x)))


class MPTForCausalLM(nn.Module):
    def __init__(self, vocab=40, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.h = h
        self.wte = nn.Embedding(vocab, d)
        self.emb_drop = nn.Dropout(p)
        self.blocks = nn.ModuleList([MPTBlock(d, h, p) for _ in range(n)])
        self.norm_f = nn.LayerNorm(d)

    def forward(self, ids):
        bias = build_alibi_causal_bias(self.h, ids.size(1))
        x = self.emb_drop(self.wte(ids))
        for b in self.blocks:
            x = b(x, bias)
        return self.norm_f(x) @ self.wte.weight.t()


def run():
    torch.manual_seed(0)
    model = MPTForCausalLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, 40, (3, 12))
    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 40), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    ids = data[:, :4]
    with torch.no_grad():
        for _ in range(5):
            logits = model(ids)
            ids = torch.cat([ids, logits[:, -1].argmax(-1, keepdim=True)], 1)
    return [loss.detach(), *grads, ids, logits[:, -1]]
