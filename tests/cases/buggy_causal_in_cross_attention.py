"""The decoder's causal mask handed to cross-attention over the encoder's output (keras-io
PR#1046, P5-2), in Keras, with nn.MultiheadAttention and with SDPA."""
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

    def call(self, inputs, enc_outputs, mask=None):
        look_ahead = self.causal(inputs)
        combined = tf.minimum(tf.cast(mask[:, tf.newaxis, :], "int32"), look_ahead)
        x = inputs + self.self_attn(query=inputs, value=inputs, key=inputs, attention_mask=combined)
        return x + self.cross_attn(query=x, value=enc_outputs, key=enc_outputs, attention_mask=combined)  # expect: ML503


class TorchDecoderLayer(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, tgt, memory):
        t = tgt.size(1)
        future = torch.triu(torch.ones(t, t, dtype=torch.bool, device=tgt.device), diagonal=1)
        x = tgt + self.self_attn(tgt, tgt, tgt, attn_mask=future)[0]
        return x + self.cross_attn(x, memory, memory, attn_mask=future)[0]  # expect: ML503


class CrossSDPA(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)

    def forward(self, x, context):
        b, t, d = x.shape
        s = context.size(1)
        q = self.q(x).view(b, t, self.h, d // self.h).transpose(1, 2)
        k, v = self.kv(context).view(b, s, 2, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        keep = torch.ones(t, s, dtype=torch.bool, device=x.device).tril()
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML503
