"""SASRec-style recommender with left-padded histories."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalItemAttention(nn.Module):
    def __init__(self, hidden, heads, dropout):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.proj = nn.Linear(hidden, hidden)
        self.p = dropout

    def forward(self, h, keep):
        n, t, d = h.shape
        q, k, v = self.qkv(h).chunk(3, -1)
        split = lambda x: x.view(n, t, self.heads, -1).transpose(1, 2)
        ctx = F.scaled_dot_product_attention(split(q), split(k), split(v), attn_mask=keep,
                                             dropout_p=self.p if self.training else 0.0)
        return self.proj(ctx.transpose(1, 2).reshape(n, t, d))


class SASRec(nn.Module):
    def __init__(self, n_items, hidden=64, heads=2, blocks=2, max_len=50, dropout=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 1, hidden, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, hidden)
        self.layers = nn.ModuleList()
        for _ in range(blocks):
            self.layers.append(nn.ModuleDict({
                "ln_a": nn.LayerNorm(hidden),
                "attn": CausalItemAttention(hidden, heads, dropout),
                "ln_b": nn.LayerNorm(hidden),
                "ffn": nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, hidden)),
            }))
        self.ln_out = nn.LayerNorm(hidden)

    def log2feats(self, seq):
        n, t = seq.shape
        is_pad = seq == 0
        future = torch.triu(torch.ones(t, t, dtype=torch.bool, device=seq.device), diagonal=1)
        keep = ~(is_pad[:, None, :] | future)
        # a padded query would otherwise have no key at all
        keep = torch.logical_or(keep, torch.eye(t, dtype=torch.bool, device=seq.device))
        keep = keep.unsqueeze(1)
        h = self.item_emb(seq) * self.item_emb.embedding_dim ** 0.5
        h = h + self.pos_emb(torch.arange(t, device=seq.device))
        for layer in self.layers:
            h = h + layer["attn"](layer["ln_a"](h), keep)
            h = h + layer["ffn"](layer["ln_b"](h))
        return self.ln_out(h)

    def forward(self, seq, pos_items, neg_items):
        feats = self.log2feats(seq)
        return (feats * self.item_emb(pos_items)).sum(-1), (feats * self.item_emb(neg_items)).sum(-1)
