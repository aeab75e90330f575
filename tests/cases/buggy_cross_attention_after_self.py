"""Decoder layers that run self-attention and then attend over another tensor whose name says
nothing (`frames`, `feats`, `patches`), given the decoder's own causal mask: the keys are the
other sequence's, so the causal part hides real positions of it (round18b's Keras speech decoder;
variants in torch and Keras)."""
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

    def forward(self, words, patches):
        T = words.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=words.device), 1)
        words = words + self.self_attn(words, words, words, attn_mask=causal)[0]
        return words + self.cross_attn(words, patches, patches, attn_mask=causal)[0]  # expect: ML503


class ReportWriter(nn.Module):
    """SDPA with heads: the causal keep mask reused over the image features."""

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
        keep = torch.tril(torch.ones(t, t, dtype=torch.bool, device=x.device))
        k, v = self.kv1(x).chunk(2, -1)
        h = F.scaled_dot_product_attention(self.split(self.q1(x)), self.split(k), self.split(v), attn_mask=keep)
        x = x + h.transpose(1, 2).reshape(b, t, d)
        k, v = self.kv2(feats).chunk(2, -1)
        h = F.scaled_dot_product_attention(self.split(self.q2(x)), self.split(k), self.split(v), attn_mask=keep)  # expect: ML503
        return x + h.transpose(1, 2).reshape(b, t, d)


class TranscriptLayer(layers.Layer):
    def __init__(self, d, heads, **kw):
        super().__init__(**kw)
        self.self_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
        self.cross_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)

    def call(self, x, frames, text_mask):
        T = ops.shape(x)[1]
        causal = ops.tril(ops.ones((T, T), dtype="bool"))
        both = ops.logical_and(causal[None, :, :], text_mask[:, None, :])
        x = x + self.self_attn(query=x, value=x, key=x, attention_mask=both)
        return x + self.cross_attn(query=x, value=frames, key=frames, attention_mask=both)  # expect: ML503
