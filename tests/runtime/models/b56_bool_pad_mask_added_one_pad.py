"""Buggy: a bool padding mask (True at the pad token) added to (N, H, L, S) scores, in a batch
where each padded sample has one pad token: torch adds +1 to the pad key and hides nothing."""
import torch
import torch.nn as nn

KIND = "buggy"


class Encoder(nn.Module):
    def __init__(self, vocab=20, d=16, heads=2):
        super().__init__()
        self.h = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, ids):
        x = self.emb(ids)
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / q.size(-1) ** 0.5
        scores = scores + ids.eq(0)[:, None, None, :]  # expect: ML202
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C).mean(1)


def run():
    torch.manual_seed(0)
    ids = torch.tensor([[5, 6, 7, 8, 9], [5, 6, 7, 8, 0]])
    out = Encoder()(ids)
    out.sum().backward()
    return (out.detach(),)
