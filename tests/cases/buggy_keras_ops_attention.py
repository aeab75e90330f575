"""Keras 3 functional attention: keras.ops.dot_product_attention reads a bool mask as True =
attend, like SDPA; and a hand-written ops.where over einsum scores does too."""
import keras
from keras import ops


class SelfAttention(keras.layers.Layer):
    def call(self, q, k, v, ids):
        pad = ops.equal(ids, 0)[:, None, None, :]  # True = padding
        return ops.dot_product_attention(q, k, v, mask=pad)  # expect: ML102


class ManualAttention(keras.layers.Layer):
    def call(self, q, k, v, ids):
        pad = ops.equal(ids, 0)[:, None, None, :]
        scores = ops.einsum("bqhd,bkhd->bhqk", q, k)
        scores = ops.where(pad, scores, ops.full_like(scores, -1e9))  # expect: ML102
        return ops.einsum("bhqk,bkhd->bqhd", ops.softmax(scores, axis=-1), v)
