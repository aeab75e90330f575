"""Keras mask helpers: band_part look-ahead masks and ops.equal padding masks are True = hide (P1-9, P1-11)."""
import tensorflow as tf
from tensorflow import keras
from keras import ops


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class DecoderLayer(keras.layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.mha = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model)

    def call(self, x):
        look_ahead = create_look_ahead_mask(tf.shape(x)[1])
        return self.mha(x, x, attention_mask=look_ahead)  # expect: ML102


def padding_mask(seq):
    mask = ops.equal(seq, 0)
    return ops.expand_dims(mask, axis=1)


class Encoder(keras.layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.mha = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model)

    def call(self, x, tokens):
        return self.mha(x, x, attention_mask=padding_mask(tokens))  # expect: ML102
