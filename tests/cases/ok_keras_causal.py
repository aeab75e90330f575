"""Keras decoder block using the built-in causal flag and a keep-style padding mask."""
import tensorflow as tf


class CausalSelfAttention(tf.keras.layers.Layer):
    def __init__(self, num_heads=4, key_dim=16):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim)
        self.add = tf.keras.layers.Add()
        self.norm = tf.keras.layers.LayerNormalization()

    def call(self, x, token_ids):
        keep = tf.not_equal(token_ids, 0)[:, tf.newaxis, :]
        attn = self.mha(query=x, value=x, key=x, attention_mask=keep, use_causal_mask=True)
        return self.norm(self.add([x, attn]))
