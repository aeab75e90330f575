"""Keras masks combined and handed over as keep masks (silent)."""
import tensorflow as tf
from keras import layers, ops


def look_ahead(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


def padding(ids):
    return tf.cast(tf.math.equal(ids, 0), tf.float32)[:, tf.newaxis, :]


class Decoder(layers.Layer):
    def __init__(self, d_model=64, heads=4, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(heads, key_dim=d_model // heads)

    def call(self, x, ids):
        hide = tf.maximum(padding(ids), look_ahead(tf.shape(x)[1]))
        return self.self_attn(query=x, value=x, key=x, attention_mask=1 - hide)


class OpsDecoder(layers.Layer):
    def __init__(self, d_model=64, heads=4, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(heads, key_dim=d_model // heads)

    def call(self, x, ids):
        t = ops.shape(x)[1]
        future = ops.greater(ops.arange(t)[None, :], ops.arange(t)[:, None])
        keep = ops.logical_and(ops.logical_not(future)[None], ops.not_equal(ids, 0)[:, None, :])
        return self.self_attn(query=x, value=x, key=x, attention_mask=keep)
