"""Library modules whose layers and mask helpers no call in the file connects: a mask parameter
named after a builder of the same file holds what the builder returns."""
import tensorflow as tf
import torch
import torch.nn.functional as F


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)

    def call(self, x, look_ahead_mask, training=False):
        return self.mha(x, x, x, attention_mask=look_ahead_mask, training=training)  # expect: ML102


def make_future_mask(n, device=None):
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)


def attend(q, k, v, future_mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=future_mask)  # expect: ML102


def combined(tokens):
    pad = tf.cast(tf.math.equal(tokens, 0), tf.float32)[:, tf.newaxis, tf.newaxis, :]
    n = tf.shape(tokens)[1]
    both = tf.squeeze(tf.maximum(pad, create_look_ahead_mask(n)), axis=1)
    layer = tf.keras.layers.MultiHeadAttention(num_heads=2, key_dim=8)
    x = tf.zeros((2, 5, 16))
    return layer(x, x, attention_mask=both)  # expect: ML102
