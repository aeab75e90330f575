"""Cocktail recipe generator: a mixin supplies keep masks (True = visible);
the nn.MultiheadAttention encoder inverts them, the SDPA decoder does not."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KeepMaskMixin:
    pad_id = 0

    def token_keep(self, ids):
        return ids != self.pad_id

    def causal_keep(self, n, device=None):
        return torch.ones(n, n, dtype=torch.bool, device=device).tril()


class SpiritEncoder(nn.Module, KeepMaskMixin):
    def __init__(self, vocab, dim, heads):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=self.pad_id)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, ids):
        x = self.emb(ids)
        y, _ = self.attn(x, x, x, key_padding_mask=~self.token_keep(ids))
        return x + y


class StepDecoder(nn.Module, KeepMaskMixin):
    def __init__(self, vocab, dim, heads):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim, padding_idx=self.pad_id)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.lm = nn.Linear(dim, vocab)

    def forward(self, ids, context):
        b, n = ids.shape
        x = self.emb(ids) + context.mean(1, keepdim=True)
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = self.causal_keep(n, ids.device)[None, None] & self.token_keep(ids)[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.lm(x + self.proj(y.transpose(1, 2).reshape(b, n, -1)))


class CocktailModel(nn.Module):
    def __init__(self, vocab=2000, dim=64, heads=4):
        super().__init__()
        self.encoder = SpiritEncoder(vocab, dim, heads)
        self.decoder = StepDecoder(vocab, dim, heads)

    def forward(self, spirit_ids, step_ids):
        return self.decoder(step_ids, self.encoder(spirit_ids))
