"""Causality tied to the absence of a padding mask (`is_causal = attention_mask is None`,
transformers PR#41966, P4-11): the helper is causal only when no padding mask is given."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attend(q, k, v, attention_mask=None, causal=False):
    if attention_mask is not None:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask.bool()[:, None, None, :])
    return F.scaled_dot_product_attention(q, k, v, is_causal=causal)


class DecoderBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        y = attend(q, k, v, attention_mask, causal=attention_mask is None)  # expect: ML401
        return y.transpose(1, 2).reshape(b, t, d)


def mha_step(mha, x, key_padding_mask, causal):
    attn_mask = None
    if causal:
        t = x.size(1)
        attn_mask = torch.triu(torch.ones(t, t, dtype=torch.bool, device=x.device), 1)
    return mha(x, x, x, key_padding_mask=key_padding_mask, attn_mask=attn_mask)[0]


class TinyLM(nn.Module):
    def __init__(self, vocab=100, d=64, h=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d)
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, ids):
        kpm = ids == self.pad_id
        return mha_step(self.mha, self.emb(ids), kpm, causal=kpm is None)  # expect: ML401


def sdpa_attention(q, k, v, attention_mask=None):
    is_causal = attention_mask is None and q.shape[2] > 1
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, is_causal=is_causal)


def smoke():
    q = torch.randn(2, 4, 5, 8)
    pad = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]).bool()[:, None, None, :]
    return sdpa_attention(q, q, q, pad)  # expect: ML401
