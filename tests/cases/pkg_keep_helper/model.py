"""A decoder-only LM on nn.MultiheadAttention that reuses the package's SDPA-style helpers."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .masks import causal_keep_mask, padding_keep_mask


class Block(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.ln = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, attn_mask, pad_mask):
        h = self.ln(x)
        h, _ = self.attn(h, h, h, attn_mask=attn_mask, key_padding_mask=pad_mask, need_weights=False)
        x = x + h
        return x + self.mlp(x)


class LM(nn.Module):
    def __init__(self, vocab, d_model=256, n_head=4, n_layer=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList([Block(d_model, n_head) for _ in range(n_layer)])
        self.head = nn.Linear(d_model, vocab)

    def forward(self, ids):
        causal = causal_keep_mask(ids.size(1), ids.device)
        pad = padding_keep_mask(ids, self.pad_id)
        x = self.embed(ids)
        for block in self.blocks:
            x = block(
                x,
                causal,  # expect: ML101
                pad,  # expect: ML101
            )
        return self.head(x)

    def loss(self, ids):
        logits = self(ids[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], ignore_index=self.pad_id)
