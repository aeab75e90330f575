"""BIO tagger for keyphrase extraction from paper abstracts.

Inputs come from a Hugging Face tokenizer (``input_ids``, ``attention_mask``);
the encoder is a from-scratch stack on top of scaled_dot_product_attention.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        mask = attention_mask.unsqueeze(1).unsqueeze(2).to(q.device)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML203
        return self.o(y.transpose(1, 2).reshape(b, n, d))


class KeyphraseTagger(nn.Module):
    def __init__(self, vocab=30522, dim=64, heads=4, depth=2, n_tags=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.attn = nn.ModuleList(SelfAttention(dim, heads) for _ in range(depth))
        self.ff = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
            for _ in range(depth)
        )
        self.tags = nn.Linear(dim, n_tags)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        for attn, ff in zip(self.attn, self.ff):
            x = x + attn(x, attention_mask)
            x = x + ff(x)
        return self.tags(x)

