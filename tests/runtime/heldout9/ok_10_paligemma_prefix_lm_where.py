# EXPECT: clean
"""Imitates PaliGemma / prefix-LM style decoders: image-patch tokens plus the text
prompt form a bidirectional prefix (per-sample prefix length), the answer is
causal. The mask is `(kv_idx <= q_idx) | (kv_idx < prefix_len)` turned into an
additive bias with torch.where and added to hand-written matmul scores; the loss
covers only the suffix."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_PATCHES = 4


def prefix_lm_bias(prefix_len, T, dtype=torch.float32):
    q_idx = torch.arange(T).view(1, T, 1)
    kv_idx = torch.arange(T).view(1, 1, T)
    allowed = (kv_idx <= q_idx) | (kv_idx < prefix_len.view(-1, 1, 1))
    return torch.where(allowed, torch.tensor(0.0, dtype=dtype), torch.tensor(float("-inf"), dtype=dtype)).unsqueeze(1)


class Attention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.q = nn.Linear(d, d, bias=False)
        self.kv = nn.Linear(d, 2 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        B, T, D = x.shape
        q = self.q(x).view(B, T, self.h, self.dh).transpose(1, 2)
        k, v = self.kv(x).view(B, T, 2, self.h, self.dh).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.dh)
        scores = scores + bias
        probs = self.drop(F.softmax(scores.float(), dim=-1))
        return self.o(torch.matmul(probs, v).transpose(1, 2).reshape(B, T, D))


class GemmaBlock(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.n1 = nn.RMSNorm(d)
        self.attn = Attention(d, heads, dropout)
        self.n2 = nn.RMSNorm(d)
        self.gate = nn.Linear(d, 2 * d, bias=False)
        self.up = nn.Linear(d, 2 * d, bias=False)
        self.down = nn.Linear(2 * d, d, bias=False)

    def forward(self, x, bias):
        x = x + self.attn(self.n1(x), bias)
        h = self.n2(x)
        return x + self.down(F.gelu(self.gate(h), approximate="tanh") * self.up(h))


class PaliGemmaLike(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, layers=2, patch_dim=12, dropout=0.1):
        super().__init__()
        self.vision_proj = nn.Linear(patch_dim, d)
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(24, d)
        self.blocks = nn.ModuleList([GemmaBlock(d, heads, dropout) for _ in range(layers)])
        self.norm = nn.RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, patches, text_ids, prompt_len):
        x = torch.cat([self.vision_proj(patches), self.embed(text_ids)], dim=1)
        T = x.size(1)
        x = x + self.pos(torch.arange(T))
        bias = prefix_lm_bias(N_PATCHES + prompt_len, T)
        for blk in self.blocks:
            x = blk(x, bias)
        return self.lm_head(self.norm(x))[:, N_PATCHES:]


@torch.no_grad()
def answer(model, patches, prompt, prompt_len, steps=3):
    ids = prompt
    for _ in range(steps):
        logits = model(patches, ids, prompt_len)
        ids = torch.cat([ids, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return ids, logits


def run():
    torch.manual_seed(0)
    model = PaliGemmaLike()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(149)
    patches = torch.randn(3, N_PATCHES, 12, generator=g)
    text = torch.randint(0, 40, (3, 10), generator=g)
    prompt_len = torch.tensor([3, 5, 4])
    labels = text.masked_fill(torch.arange(10)[None] < prompt_len[:, None], -100)

    model.train()
    logits = model(patches, text, prompt_len)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 40), labels[:, 1:].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    p2 = torch.randn(2, N_PATCHES, 12, generator=g)
    prompt = torch.randint(0, 40, (2, 4), generator=g)
    ids, logits = answer(model, p2, prompt, torch.tensor([4, 4]))
    return [loss.detach(), *grads, ids, logits]
