"""Near-misses: decoder layers whose cross-attention over another tensor gets that tensor's padding
mask (or none), and a layer that attends twice over its own sequence with the causal mask."""
import keras
import torch
import torch.nn as nn
import torch.nn.functional as F
from keras import layers, ops


class CaptionLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, words, patches, patch_pad):
        T = words.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=words.device), 1)
        words = words + self.self_attn(words, words, words, attn_mask=causal)[0]
        return words + self.cross_attn(words, patches, patches, key_padding_mask=patch_pad)[0]


class TwoPass(nn.Module):
    """Self-attention twice over the same tokens (the second over normalised ones)."""

    def __init__(self, d, heads):
        super().__init__()
        self.a1 = nn.MultiheadAttention(d, heads, batch_first=True)
        self.a2 = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, x):
        T = x.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), 1)
        x = x + self.a1(x, x, x, attn_mask=causal)[0]
        y = self.norm(x)
        return x + self.a2(y, y, y, attn_mask=causal)[0]


class ReportWriter(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q1, self.kv1 = nn.Linear(d, d), nn.Linear(d, 2 * d)
        self.q2, self.kv2 = nn.Linear(d, d), nn.Linear(d, 2 * d)

    def split(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x, feats):
        b, t, d = x.shape
        k, v = self.kv1(x).chunk(2, -1)
        h = F.scaled_dot_product_attention(self.split(self.q1(x)), self.split(k), self.split(v), is_causal=True)
        x = x + h.transpose(1, 2).reshape(b, t, d)
        k, v = self.kv2(feats).chunk(2, -1)
        h = F.scaled_dot_product_attention(self.split(self.q2(x)), self.split(k), self.split(v))
        return x + h.transpose(1, 2).reshape(b, t, d)


class TranscriptLayer(layers.Layer):
    def __init__(self, d, heads, **kw):
        super().__init__(**kw)
        self.self_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
        self.cross_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)

    def call(self, x, frames, text_mask, frame_mask):
        T = ops.shape(x)[1]
        causal = ops.tril(ops.ones((T, T), dtype="bool"))
        both = ops.logical_and(causal[None, :, :], text_mask[:, None, :])
        x = x + self.self_attn(query=x, value=x, key=x, attention_mask=both)
        cross = ops.logical_and(text_mask[:, :, None], frame_mask[:, None, :])
        return x + self.cross_attn(query=x, value=frames, key=frames, attention_mask=cross)
