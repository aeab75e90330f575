"""Self-attention layer for Keras 3 models, with an optional fused kernel."""
import keras
from keras import layers, ops


class CausalCapableSelfAttention(layers.Layer):
    def __init__(self, num_heads, key_dim, use_fused=True, **kwargs):
        super().__init__(**kwargs)
        self.num_heads, self.key_dim, self.use_fused = num_heads, key_dim, use_fused

    def build(self, input_shape):
        dim = input_shape[-1]
        self.q = layers.Dense(self.num_heads * self.key_dim)
        self.k = layers.Dense(self.num_heads * self.key_dim)
        self.v = layers.Dense(self.num_heads * self.key_dim)
        self.o = layers.Dense(dim)

    def _split(self, x):
        b, t = ops.shape(x)[0], ops.shape(x)[1]
        return ops.reshape(x, (b, t, self.num_heads, self.key_dim))

    def call(self, x, attention_mask=None, use_causal_mask=False):
        """attention_mask: (batch, seq) bool, True = real token."""
        q, k, v = self._split(self.q(x)), self._split(self.k(x)), self._split(self.v(x))
        if self.use_fused and attention_mask is None:
            out = ops.dot_product_attention(q, k, v, is_causal=use_causal_mask)
        else:
            scores = ops.einsum("bqhd,bkhd->bhqk", q, k) / (self.key_dim ** 0.5)
            scores = ops.cast(scores, "float32")
            seq_len = ops.shape(x)[1]
            keep = ops.ones((1, 1, seq_len, seq_len), dtype="bool")
            if attention_mask is not None:
                keep = ops.logical_and(keep, ops.cast(attention_mask, "bool")[:, None, None, :])
            if use_causal_mask:
                causal = ops.cast(ops.tril(ops.ones((seq_len, seq_len))), "bool")
                keep = ops.logical_and(keep, causal[None, None])
            scores = ops.where(keep, scores, -1e9)
            weights = ops.cast(ops.softmax(scores, axis=-1), v.dtype)
            out = ops.einsum("bhqk,bkhd->bqhd", weights, v)
        b, t = ops.shape(x)[0], ops.shape(x)[1]
        return self.o(ops.reshape(out, (b, t, self.num_heads * self.key_dim)))
