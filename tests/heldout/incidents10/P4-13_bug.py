"""A project-side Keras 3 attention layer (KERAS_BACKEND=torch) with a fused
path (ops.dot_product_attention) and a manual path used when scores are
requested.  use_causal_mask reaches the fused path but is dropped on the
manual one (the regression pattern of keras#23038)."""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import keras
from keras import layers, ops


class CausalSelfAttention(layers.Layer):
    def __init__(self, num_heads=2, key_dim=8, **kwargs):
        super().__init__(**kwargs)
        self.num_heads, self.key_dim = num_heads, key_dim

    def build(self, input_shape):
        d = input_shape[-1]
        self.qkv = layers.Dense(3 * self.num_heads * self.key_dim)
        self.qkv.build(input_shape)
        self.out = layers.Dense(d)
        self.out.build(input_shape[:-1] + (self.num_heads * self.key_dim,))

    def _compute_attention_mask(self, query, attention_mask=None, use_causal_mask=False):
        mask = attention_mask
        if use_causal_mask:
            n = ops.shape(query)[1]
            causal = ops.tril(ops.ones((1, n, n), dtype="bool"))
            mask = causal if mask is None else ops.logical_and(ops.cast(mask, "bool"), causal)
        return mask

    def call(self, x, attention_mask=None, use_causal_mask=False, return_attention_scores=False):
        b, n = ops.shape(x)[0], ops.shape(x)[1]
        qkv = ops.reshape(self.qkv(x), (b, n, 3, self.num_heads, self.key_dim))
        q, k, v = qkv[:, :, 0], qkv[:, :, 1], qkv[:, :, 2]
        if not return_attention_scores:
            out = ops.dot_product_attention(q, k, v, mask=attention_mask, is_causal=use_causal_mask)
            return self.out(ops.reshape(out, (b, n, -1)))
        mask = self._compute_attention_mask(x, attention_mask, use_causal_mask=False)  # BUG
        scores = ops.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(self.key_dim)
        if mask is not None:
            scores = ops.where(ops.expand_dims(mask, 1), scores, -1e9)
        weights = ops.softmax(scores, axis=-1)
        out = ops.einsum("bhqk,bkhd->bqhd", weights, v)
        return self.out(ops.reshape(out, (b, n, -1))), weights


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    layer = CausalSelfAttention()
    x = np.random.randn(2, 5, 16).astype("float32")
    x2 = x.copy(); x2[:, -1] = np.random.randn(2, 16)
    a, _ = layer(x, use_causal_mask=True, return_attention_scores=True)
    b, _ = layer(x2, use_causal_mask=True, return_attention_scores=True)
    a, b = ops.convert_to_numpy(a), ops.convert_to_numpy(b)
    print("prefix change when last token changes (manual path):", float(np.abs(a[:, :-1] - b[:, :-1]).max()))
