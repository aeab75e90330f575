import tensorflow as tf
from keras import ops
from tensorflow import keras


def causal_keep(size):
    return tf.linalg.band_part(tf.ones((size, size)), -1, 0)


def padding_keep(seq):
    return ops.expand_dims(ops.not_equal(seq, 0), axis=1)


class DecoderLayer(keras.layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.mha = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model)

    def call(self, x, tokens):
        y = self.mha(x, x, attention_mask=causal_keep(tf.shape(x)[1]))
        return self.mha(y, y, attention_mask=padding_keep(tokens))
