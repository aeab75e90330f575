"""Autoregressive LMs whose local-attention mask has no causal part: a symmetric window and a
one-sided window written without `i >= j`; q, k, v unpacked from one permuted projection."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LocalLM(nn.Module):
    def __init__(self, vocab=100, d=32, window=4):
        super().__init__()
        self.emb, self.qkv, self.head, self.window = nn.Embedding(vocab, d), nn.Linear(d, 3 * d), nn.Linear(d, vocab), window

    def forward(self, idx):
        b, t = idx.shape
        q, k, v = self.qkv(self.emb(idx)).view(b, t, 3, 4, -1).permute(2, 0, 3, 1, 4)
        pos = torch.arange(t, device=idx.device)
        local = (pos[:, None] - pos[None, :]).abs() <= self.window
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=local)  # expect: ML401
        logits = self.head(y.transpose(1, 2).reshape(b, t, -1))
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), idx[:, 1:].reshape(-1))


class TinyGPT(nn.Module):
    def __init__(self, vocab=100, d=32, window=8):
        super().__init__()
        self.emb, self.qkv, self.head, self.window = nn.Embedding(vocab, d), nn.Linear(d, 3 * d), nn.Linear(d, vocab), window

    def forward(self, idx):
        b, t = idx.shape
        q, k, v = self.qkv(self.emb(idx)).reshape(b, t, 3, 4, -1).permute(2, 0, 3, 1, 4).unbind(0)
        i = torch.arange(t)[:, None]
        j = torch.arange(t)[None, :]
        recent = (i - j) < self.window  # no `i >= j`: every later token is inside the window too
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=recent)  # expect: ML401
        return self.head(y.transpose(1, 2).reshape(b, t, -1))
