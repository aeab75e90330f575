"""Intent classification + slot filling for a task-oriented dialogue system, trained with mixed precision."""
import math
from contextlib import nullcontext

import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e10
USE_AMP = torch.cuda.is_available()
DEVICE = "cuda" if USE_AMP else "cpu"


class MultiHeadedAttention(nn.Module):
    def __init__(self, h, d_model, dropout=0.1):
        super().__init__()
        self.d_k, self.h = d_model // h, h
        self.linears = nn.ModuleList(nn.Linear(d_model, d_model) for _ in range(4))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        nb = x.size(0)
        q, k, v = [l(x).view(nb, -1, self.h, self.d_k).transpose(1, 2) for l in self.linears[:3]]
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.d_k)
        scores = scores.masked_fill(mask == 0, NEG)  # expect: ML205
        p = self.dropout(F.softmax(scores, dim=-1))
        out = torch.matmul(p, v).transpose(1, 2).contiguous().view(nb, -1, self.h * self.d_k)
        return self.linears[-1](out)


class Layer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = MultiHeadedAttention(h, d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, mask):
        x = self.n1(x + self.attn(x, mask))
        return self.n2(x + self.ff(x))


class JointNLU(nn.Module):
    def __init__(self, vocab=3000, d=64, h=4, n_layers=2, n_intents=12, n_slots=25):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(64, d)
        self.layers = nn.ModuleList(Layer(d, h) for _ in range(n_layers))
        self.intent = nn.Linear(d, n_intents)
        self.slots = nn.Linear(d, n_slots)

    def forward(self, ids):
        mask = (ids != 0).unsqueeze(1).unsqueeze(2)  # (B,1,1,S)
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for layer in self.layers:
            x = layer(x, mask)
        return self.intent(x[:, 0]), self.slots(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = JointNLU().to(DEVICE)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler(enabled=USE_AMP)
    ids = torch.randint(1, 3000, (4, 16), device=DEVICE)
    ids[1, 10:], ids[3, 7:] = 0, 0
    intents = torch.randint(0, 12, (4,), device=DEVICE)
    slots = torch.randint(0, 25, (4, 16), device=DEVICE).masked_fill(ids == 0, -100)
    ctx = torch.autocast("cuda", dtype=torch.float16) if USE_AMP else nullcontext()
    with ctx:
        il, sl = model(ids)
        loss = F.cross_entropy(il, intents) + F.cross_entropy(sl.transpose(1, 2), slots, ignore_index=-100)
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    print(il.shape, sl.shape, loss.item())
