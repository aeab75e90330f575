"""Keras transformer decoder block (TF 2.x), masks from the classic tutorial helpers."""
import tensorflow as tf


def create_padding_mask(seq):
    seq = tf.cast(tf.math.equal(seq, 0), tf.float32)
    return seq[:, tf.newaxis, tf.newaxis, :]


def create_look_ahead_mask(size):
    mask = 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)
    return mask


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model=64, num_heads=4, dff=128):
        super().__init__()
        self.self_mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = tf.keras.Sequential([tf.keras.layers.Dense(dff, activation="relu"), tf.keras.layers.Dense(d_model)])
        self.ln1 = tf.keras.layers.LayerNormalization()
        self.ln2 = tf.keras.layers.LayerNormalization()

    def call(self, x, training=False):
        look_ahead = create_look_ahead_mask(tf.shape(x)[1])
        attn = self.self_mha(query=x, value=x, key=x, attention_mask=look_ahead, training=training)  # expect: ML102
        x = self.ln1(x + attn)
        return self.ln2(x + self.ffn(x))
