"""A bool mask cast to the activations' dtype (`x.dtype`, `scores.dtype`) is a 0/1 float mask, and
float masks are added to the scores: 1.0 hides nothing (torchtext RoBERTa, P7-16)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderLayer(nn.Module):
    def __init__(self, d=8, h=2):
        super().__init__()
        self.attention = nn.MultiheadAttention(d, h)

    def forward(self, input, attn_mask=None):
        if attn_mask is not None and attn_mask.dtype == torch.bool:
            new_attn_mask = torch.zeros_like(attn_mask, dtype=input.dtype)
            new_attn_mask = new_attn_mask + attn_mask
            attn_mask = new_attn_mask
        return self.attention(input, input, input, attn_mask=attn_mask)[0]  # expect: ML202


class Encoder(nn.Module):
    def __init__(self, vocab=30, d=8):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=1)
        self.layer = EncoderLayer(d)

    def forward(self, tokens):
        x = self.emb(tokens).transpose(0, 1)
        future = torch.triu(torch.ones(tokens.size(1), tokens.size(1), dtype=torch.bool), diagonal=1)
        return self.layer(x, future)


class KeepToDtype(nn.Module):
    def __init__(self, vocab=30, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, input_ids, attention_mask):
        hidden = self.emb(input_ids)
        b, t, d = hidden.shape
        q, k, v = self.qkv(hidden).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = attention_mask[:, None, None, :].to(hidden.dtype)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML202
