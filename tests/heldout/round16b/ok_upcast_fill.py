import math

import torch
import torch.nn as nn


class UpcastAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)).float() / math.sqrt(q.size(-1))
        scores = scores.masked_fill(attention_mask[:, None, None, :] == 0, -1e9)
        probs = scores.softmax(-1).to(v.dtype)
        return self.out((probs @ v).transpose(1, 2).reshape(b, n, d))


class AntibodyEncoder(nn.Module):
    def __init__(self, vocab=25, hidden=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden, padding_idx=0)
        self.attn = nn.ModuleList(UpcastAttention(hidden, heads) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.head = nn.Linear(hidden, vocab)

    def forward(self, tokens, attention_mask):
        x = self.emb(tokens)
        for attn, ln in zip(self.attn, self.ln):
            x = x + attn(ln(x), attention_mask)
        return self.head(x)


if __name__ == "__main__":
    model = AntibodyEncoder()
    toks = torch.randint(1, 25, (2, 30))
    am = torch.ones_like(toks)
    am[1, 20:] = 0
    with torch.autocast("cpu", dtype=torch.float16):
        print(model(toks, am).float().mean().item())
