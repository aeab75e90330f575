"""Multilingual sentence-embedding encoder trained under float16 autocast and
served with model.half(). Mask fill values follow the tensor dtype."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

FP16_SAFE_NEG = -1e4  # comfortably inside float16 range (max 65504)


class MaskedSelfAttention(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, keep):
        # keep: (B, S) bool, True for real tokens
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(D // self.heads)
        scores = scores.masked_fill(~keep[:, None, None, :], torch.finfo(scores.dtype).min)
        attn = self.drop(scores.softmax(-1))
        return self.out((attn @ v).transpose(1, 2).reshape(B, S, D))


class Encoder(nn.Module):
    def __init__(self, vocab=250002, dim=768, heads=12, depth=12, pad_id=1):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.pos = nn.Embedding(512, dim)
        self.attn = nn.ModuleList(MaskedSelfAttention(dim, heads) for _ in range(depth))
        self.ffn = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
            for _ in range(depth)
        )
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.pool_score = nn.Linear(dim, 1)

    def forward(self, ids):
        keep = ids != self.pad_id
        x = self.emb(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for attn, ln, ffn in zip(self.attn, self.ln, self.ffn):
            x = x + attn(ln(x), keep)
            x = x + ffn(x)
        w = self.pool_score(x).squeeze(-1)
        w = w.masked_fill(~keep, FP16_SAFE_NEG).softmax(-1)
        return F.normalize((w.unsqueeze(-1) * x).sum(1), dim=-1)


def train_step(model, optimizer, scaler, anchors, positives, temperature=0.05):
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        a, p = model(anchors), model(positives)
        logits = a @ p.t() / temperature
        loss = F.cross_entropy(logits.float(), torch.arange(a.size(0), device=a.device))
    optimizer.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()


@torch.inference_mode()
def embed_corpus(model, batches):
    model = model.half().cuda().eval()
    return torch.cat([model(ids.cuda()) for ids in batches])
