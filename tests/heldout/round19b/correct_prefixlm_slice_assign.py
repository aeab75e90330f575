"""Prefix-LM for table-to-text generation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prefix_lm_mask(prefix_lens: torch.Tensor, total_len: int) -> torch.Tensor:
    B = prefix_lens.numel()
    mask = torch.ones(B, total_len, total_len, dtype=torch.bool, device=prefix_lens.device).tril_()
    for b in range(B):
        p = int(prefix_lens[b])
        mask[b, :, :p] = True
    return mask.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=-1)
        q, k, v = (t.view(B, T, self.h, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class TableToText(nn.Module):
    def __init__(self, vocab=500, d=64, h=4, n_layers=2, max_len=256):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(n_layers))
        self.ln = nn.LayerNorm(d)
        self.out = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, prefix_lens, labels=None):
        T = ids.size(1)
        x = self.emb(ids) + self.pos(torch.arange(T, device=ids.device))
        mask = prefix_lm_mask(prefix_lens, T)
        for blk in self.blocks:
            x = blk(x, mask)
        logits = self.out(self.ln(x))
        if labels is None:
            return logits
        return F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)
