import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


class CausalSelfAttention(layers.Layer):
    """Multi-head self attention with a fused causal fast path and a manual fallback."""

    def __init__(self, num_heads, key_dim, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.dropout = dropout
        self._dropout_layer = layers.Dropout(dropout)

    def build(self, input_shape):
        dim = input_shape[-1]
        self.qkv = layers.Dense(3 * self.num_heads * self.key_dim, use_bias=False)
        self.qkv.build(input_shape)
        self.out = layers.Dense(dim)
        self.out.build((*input_shape[:-1], self.num_heads * self.key_dim))

    def _compute_causal_mask(self, q_len, k_len):
        row = ops.arange(q_len)[:, None]
        col = ops.arange(k_len)[None, :]
        return ops.greater_equal(row, col)

    def _compute_attention_mask(self, query, attention_mask=None, use_causal_mask=False, fused=True):
        if use_causal_mask and attention_mask is None:  # BUG
            return None
        if use_causal_mask:
            T = ops.shape(query)[1]
            causal = self._compute_causal_mask(T, T)[None]
            attention_mask = causal if attention_mask is None else ops.logical_and(ops.cast(attention_mask, "bool"), causal)
        return attention_mask

    def _use_fused_path(self, return_attention_scores):
        return self.dropout == 0.0 and not return_attention_scores

    def _compute_attention(self, q, k, v, attention_mask=None, use_causal_mask=False, training=None, return_attention_scores=False):
        if self._use_fused_path(return_attention_scores):
            is_causal = use_causal_mask and attention_mask is None
            out = ops.dot_product_attention(q, k, v, mask=None if attention_mask is None else attention_mask[:, None], is_causal=is_causal)
            return out, None
        scores = ops.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(self.key_dim)
        if attention_mask is not None:
            scores = ops.where(attention_mask[:, None], scores, -1e9)
        probs = ops.softmax(scores, axis=-1)
        probs = self._dropout_layer(probs, training=training)
        return ops.einsum("bhqk,bkhd->bqhd", probs, v), probs

    def call(self, x, attention_mask=None, use_causal_mask=False, return_attention_scores=False, training=None):
        B, T = ops.shape(x)[0], ops.shape(x)[1]
        qkv = ops.reshape(self.qkv(x), (B, T, 3, self.num_heads, self.key_dim))
        q, k, v = qkv[:, :, 0], qkv[:, :, 1], qkv[:, :, 2]
        fused = self._use_fused_path(return_attention_scores)
        attention_mask = self._compute_attention_mask(x, attention_mask, use_causal_mask, fused=fused)
        out, scores = self._compute_attention(q, k, v, attention_mask, use_causal_mask, training, return_attention_scores)
        out = self.out(ops.reshape(out, (B, T, self.num_heads * self.key_dim)))
        return (out, scores) if return_attention_scores else out


class TinyGPT(keras.Model):
    def __init__(self, vocab=50, dim=32, heads=4, dropout=0.1):
        super().__init__()
        self.emb = layers.Embedding(vocab, dim)
        self.attn = CausalSelfAttention(heads, dim // heads, dropout=dropout)
        self.norm = layers.LayerNormalization()
        self.head = layers.Dense(vocab)

    def call(self, ids, training=None):
        x = self.emb(ids)
        x = x + self.attn(self.norm(x), use_causal_mask=True, training=training)
        return self.head(x)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    model = TinyGPT()
    ids = np.random.RandomState(0).randint(0, 50, size=(2, 9))
    ids2 = ids.copy()
    ids2[:, -1] = (ids2[:, -1] + 1) % 50
    a = model(ids, training=False)
    b = model(ids2, training=False)
    diff = float(ops.max(ops.abs(a[:, :-1] - b[:, :-1])))
    print(f"prefix change when last token changes (dropout=0.1, inference): {diff:.3e}")
