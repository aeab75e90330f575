"""The same decoder with tril(diagonal=0); and a lookahead encoder (no next-token objective) that
means to see one key ahead."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Decoder(nn.Module):
    def __init__(self, vocab=100, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.emb(ids)
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        keep = torch.ones(T, T, dtype=torch.bool, device=ids.device).tril(diagonal=0)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.lm_head(y.transpose(1, 2).reshape(B, T, C))


@torch.no_grad()
def generate(model, ids, steps=8):
    for _ in range(steps):
        nxt = model(ids)[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
    return ids


class LookaheadEncoder(nn.Module):
    def __init__(self, d=32, heads=4, classes=10):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.cls = nn.Linear(d, classes)

    def forward(self, frames):
        B, T, C = frames.shape
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in self.qkv(frames).chunk(3, -1))
        visible = torch.ones(T, T, dtype=torch.bool, device=frames.device).tril(diagonal=1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=visible)
        return self.cls(y.transpose(1, 2).reshape(B, T, C))
