"""Keras decoder block: use_causal_mask plus a keep padding mask. Correct."""
import tensorflow as tf


class DecoderBlock(tf.keras.layers.Layer):
    def __init__(self, d_model=128, num_heads=4):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)

    def call(self, x, token_ids):
        padding = tf.cast(tf.not_equal(token_ids, 0), tf.bool)[:, tf.newaxis, :]
        return self.mha(query=x, value=x, key=x, attention_mask=padding, use_causal_mask=True)
