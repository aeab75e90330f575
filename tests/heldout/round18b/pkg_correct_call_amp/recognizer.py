import torch
import torch.nn as nn

from .attention import ScaledAttention

CHARSET = "0123456789abcdefghijklmnopqrstuvwxyz .,-"
BOS, EOS = len(CHARSET), len(CHARSET) + 1


class LineRecognizer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, d, 3, padding=1), nn.ReLU())
        self.char_emb = nn.Embedding(len(CHARSET) + 2, d)
        self.self_attn = ScaledAttention(d, heads)
        self.cross_attn = ScaledAttention(d, heads)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.out = nn.Linear(d, len(CHARSET) + 2)

    def features(self, image):
        f = self.cnn(image)
        return f.mean(2).transpose(1, 2)

    def forward(self, image, chars, column_keep):
        memory = self.features(image)
        L = chars.size(1)
        causal = torch.tril(torch.ones(L, L, dtype=torch.bool, device=chars.device))
        x = self.char_emb(chars)
        x = x + self.self_attn(self.n1(x), self.n1(x), causal[None, None])
        x = x + self.cross_attn(self.n2(x), memory, column_keep[:, None, None, :])
        return self.out(x)
