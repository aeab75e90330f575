"""Causal masking that rides on the padding mask: bidirectional when no padding (P4-11, P4-12)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, heads, max_len=512):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.register_buffer("causal", torch.tril(torch.ones(max_len, max_len, dtype=torch.bool)))

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = None
        if attention_mask is not None:
            mask = self.causal[:t, :t] & attention_mask[:, None, None, :].bool()
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML401
        return y.transpose(1, 2).reshape(b, t, d)


class ScaledDotProduct(nn.Module):
    def __init__(self, causal=True, seq_len=1024):
        super().__init__()
        self.causal = causal
        self.register_buffer("causal_mask", torch.tril(torch.ones(seq_len, seq_len)).bool())

    def forward(self, q, k, v, att_mask=None):
        if att_mask is not None:
            if self.causal:
                att_mask = att_mask & self.causal_mask[: q.size(-2), : k.size(-2)]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=att_mask)  # expect: ML401


def build_mask(attention_mask, seq_len, dtype):
    causal = None
    if attention_mask is not None:
        causal = torch.full((seq_len, seq_len), torch.finfo(dtype).min, dtype=dtype).triu(1)
        causal = causal[None, None] + (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min  # expect: ML205
    return causal


class DecoderLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        mask = build_mask(attention_mask, t, x.dtype)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML401


def prepare_4d(attention_mask, q_len, dtype):
    min_dtype = torch.finfo(dtype).min
    mask = torch.triu(torch.full((q_len, q_len), min_dtype, dtype=dtype), diagonal=1)[None, None]
    if attention_mask is not None:
        mask = mask.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)
    return mask


class EagerAttention(nn.Module):
    def forward(self, q, k, v, attention_mask=None):
        scores = q @ k.transpose(-1, -2)
        if attention_mask is not None:
            scores = scores + attention_mask
        return scores.softmax(-1) @ v


class HunYuanStyle(nn.Module):
    """The causal mask is built only when a padding mask comes in (P4-10): generate() without one is bidirectional."""

    def __init__(self, vocab=50, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = EagerAttention()

    def forward(self, input_ids, attention_mask=None):
        x = self.emb(input_ids)
        if attention_mask is not None:
            attention_mask = prepare_4d(attention_mask, input_ids.shape[1], x.dtype)
        return self.attn(x, x, x, attention_mask=attention_mask)  # expect: ML401
