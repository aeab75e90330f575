"""Local attention done right: a causal sliding window in an LM, a symmetric window in an encoder."""
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
        diff = pos[:, None] - pos[None, :]
        local = (diff >= 0) & (diff <= self.window)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=local)
        logits = self.head(y.transpose(1, 2).reshape(b, t, -1))
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), idx[:, 1:].reshape(-1))


class LocalEncoderClassifier(nn.Module):
    def __init__(self, vocab=100, d=32, window=4, classes=3):
        super().__init__()
        self.emb, self.qkv, self.cls, self.window = nn.Embedding(vocab, d), nn.Linear(d, 3 * d), nn.Linear(d, classes), window

    def forward(self, idx, labels):
        b, t = idx.shape
        q, k, v = self.qkv(self.emb(idx)).view(b, t, 3, 4, -1).permute(2, 0, 3, 1, 4)
        pos = torch.arange(t, device=idx.device)
        local = (pos[:, None] - pos[None, :]).abs() <= self.window
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=local)
        return F.cross_entropy(self.cls(y.mean(2).reshape(b, -1)[:, : self.cls.in_features]), labels)
