"""Recipe instruction generator conditioned on an ingredient list.

``MaskingMixin`` is shared with the ingredient encoder (which runs on
nn.MultiheadAttention); the instruction decoder uses fused SDPA.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskingMixin:
    pad_id = 0

    def padding_mask(self, ids):
        return ids == self.pad_id

    def causal_mask(self, n, device=None):
        return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)


class IngredientEncoder(nn.Module, MaskingMixin):
    def __init__(self, vocab, dim, heads):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=self.pad_id)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, ids):
        x = self.emb(ids)
        y, _ = self.attn(x, x, x, key_padding_mask=self.padding_mask(ids))
        return x + y


class InstructionDecoder(nn.Module, MaskingMixin):
    def __init__(self, vocab, dim, heads):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim, padding_idx=self.pad_id)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.lm = nn.Linear(dim, vocab)

    def forward(self, ids, ingredients):
        b, n = ids.shape
        x = self.emb(ids) + ingredients.mean(1, keepdim=True)
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = self.causal_mask(n, ids.device)[None, None] | self.padding_mask(ids)[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
        x = x + self.proj(y.transpose(1, 2).reshape(b, n, -1))
        return self.lm(x)


class RecipeModel(nn.Module):
    def __init__(self, vocab=2000, dim=64, heads=4):
        super().__init__()
        self.encoder = IngredientEncoder(vocab, dim, heads)
        self.decoder = InstructionDecoder(vocab, dim, heads)

    def forward(self, ingredient_ids, step_ids):
        return self.decoder(step_ids, self.encoder(ingredient_ids))
