"""Causal masks kept to self-attention, padding masks in cross-attention (silent)."""
import tensorflow as tf
import torch
import torch.nn as nn
import torch.nn.functional as F
from tensorflow.keras import layers


class KerasDecoder(layers.Layer):
    def __init__(self, embed_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.cross_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)

    def causal(self, inputs):
        n = tf.shape(inputs)[1]
        i = tf.range(n)[:, tf.newaxis]
        j = tf.range(n)
        return tf.cast(i >= j, dtype="int32")[tf.newaxis]

    def call(self, inputs, enc_outputs, mask=None, enc_mask=None):
        look_ahead = self.causal(inputs)
        combined = tf.minimum(tf.cast(mask[:, tf.newaxis, :], "int32"), look_ahead)
        x = inputs + self.self_attn(query=inputs, value=inputs, key=inputs, attention_mask=combined)
        enc_padding = tf.cast(enc_mask[:, tf.newaxis, :], "int32")
        return x + self.cross_attn(query=x, value=enc_outputs, key=enc_outputs, attention_mask=enc_padding)


class TorchDecoderLayer(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, tgt, memory, memory_pad):
        t = tgt.size(1)
        future = torch.triu(torch.ones(t, t, dtype=torch.bool, device=tgt.device), diagonal=1)
        x = tgt + self.self_attn(tgt, tgt, tgt, attn_mask=future)[0]
        return x + self.cross_attn(x, memory, memory, key_padding_mask=memory_pad)[0]


class CachedSelfAttention(nn.Module):
    """Keys from a cache are still the same sequence: a causal mask is right there."""

    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, past_k, past_v):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        k, v = torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2)
        s = k.size(2)
        keep = torch.ones(t, s, dtype=torch.bool, device=x.device).tril(s - t)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
