"""Correct: a bidirectional reward model (reads the whole response) in an RLHF script whose
rollout loop samples from a policy LM defined in another module."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v)  # full attention over the response
        return x + self.proj(y.transpose(1, 2).reshape(B, T, C))


class RewardModel(nn.Module):
    def __init__(self, vocab=100, d=32, h=4, n=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(64, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(n))
        self.value = nn.Linear(d, 1)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
        for b in self.blocks:
            x = b(x)
        return self.value(x.mean(1)).squeeze(-1)


@torch.no_grad()
def rollout(policy, prompt, steps=8):
    ids = prompt
    for _ in range(steps):
        logits = policy(ids)[:, -1]
        nxt = torch.multinomial(F.softmax(logits, -1), 1)
        ids = torch.cat([ids, nxt], 1)
    return ids


def ppo_step(policy, rm, prompt):
    ids = rollout(policy, prompt)
    return rm(ids)
