"""Keras 3 functional attention with keep masks (silent)."""
import keras
from keras import ops


class SelfAttention(keras.layers.Layer):
    def call(self, q, k, v, ids):
        keep = ops.not_equal(ids, 0)[:, None, None, :]
        return ops.dot_product_attention(q, k, v, mask=keep, is_causal=True)


class ManualAttention(keras.layers.Layer):
    def call(self, q, k, v, ids):
        keep = ops.not_equal(ids, 0)[:, None, None, :]
        scores = ops.einsum("bqhd,bkhd->bhqk", q, k)
        scores = ops.where(keep, scores, ops.full_like(scores, -1e9))
        return ops.einsum("bhqk,bkhd->bqhd", ops.softmax(scores, axis=-1), v)
