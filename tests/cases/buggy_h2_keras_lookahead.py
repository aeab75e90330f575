"""Keras decoder block using the TF-tutorial look-ahead mask with keras MHA."""
import tensorflow as tf


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class DecoderBlock(tf.keras.layers.Layer):
    def __init__(self, d_model=128, num_heads=4):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.norm = tf.keras.layers.LayerNormalization()

    def call(self, x):
        seq_len = tf.shape(x)[1]
        look_ahead = create_look_ahead_mask(seq_len)
        attn = self.mha(query=x, value=x, key=x, attention_mask=look_ahead)  # expect: ML102
        return self.norm(x + attn)
