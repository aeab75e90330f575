"""The same modules with masks the APIs read as built; a generic name (`mask`) links nothing."""
import tensorflow as tf
import torch
import torch.nn.functional as F


def create_look_ahead_mask(size):
    return tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)

    def call(self, x, look_ahead_mask, training=False):
        return self.mha(x, x, x, attention_mask=look_ahead_mask, training=training)


def make_future_mask(n, device=None):
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)


def make_mask(n):
    return torch.ones(n, n, dtype=torch.bool).triu(1)


def attend(q, k, v, future_mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~future_mask)


def attend_keep(q, k, v, mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def create_padding_mask(token_ids):
    return tf.cast(tf.math.equal(token_ids, 0), tf.float32)[:, tf.newaxis, :]


class Block(tf.keras.layers.Layer):
    def __init__(self, dim, heads):
        super().__init__()
        self.att = tf.keras.layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)

    def call(self, x, padding_mask=None):
        return self.att(x, x, attention_mask=padding_mask)


class Classifier(tf.keras.Model):
    def __init__(self, vocab, dim=32, heads=2):
        super().__init__()
        self.emb = tf.keras.layers.Embedding(vocab, dim)
        self.block = Block(dim, heads)

    def call(self, token_ids):
        # the builder's padding mask (1 = pad), inverted where the layer is called
        return self.block(self.emb(token_ids), padding_mask=1.0 - create_padding_mask(token_ids))
