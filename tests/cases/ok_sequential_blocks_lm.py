"""The same blocks, causal (is_causal=True), and an encoder of such blocks without the flag that
no next-token objective reads."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d=32, heads=4, causal=True):
        super().__init__()
        self.h = heads
        self.causal = causal
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = (t.view(B, T, self.h, -1).transpose(1, 2) for t in self.qkv(x).split(D, dim=-1))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        return x + y.transpose(1, 2).reshape(B, T, D)


class DraftLM(nn.Module):
    def __init__(self, vocab=128, d=32, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.blocks = nn.Sequential(*[Block(d) for _ in range(n_layer)])
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, idx, targets):
        logits = self.lm_head(self.blocks(self.wte(idx)))
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten())


def train_step(model, batch):
    return model(batch[:, :-1], batch[:, 1:])


class Encoder(nn.Module):
    def __init__(self, d=32, n_layer=2, classes=3):
        super().__init__()
        self.blocks = nn.Sequential(Block(d, causal=False), Block(d, causal=False))
        self.cls = nn.Linear(d, classes)

    def forward(self, x):
        return self.cls(self.blocks(x).mean(1))
