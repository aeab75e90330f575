import numpy as np
import keras
from keras import layers, ops


class CausalAwareMultiHeadAttention(layers.Layer):
    """MultiHeadAttention with a fused path (ops.dot_product_attention) and an
    explicit einsum path used when attention scores are requested."""

    def __init__(self, num_heads, key_dim, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self._dropout = dropout
        self._num_heads = num_heads
        self._key_dim = key_dim

    def build(self, query_shape, value_shape=None):
        dim = query_shape[-1]
        self._query_dense = layers.EinsumDense("abc,cde->abde", (None, self._num_heads, self._key_dim))
        self._key_dense = layers.EinsumDense("abc,cde->abde", (None, self._num_heads, self._key_dim))
        self._value_dense = layers.EinsumDense("abc,cde->abde", (None, self._num_heads, self._key_dim))
        self._output_dense = layers.EinsumDense("abcd,cde->abe", (None, dim))

    def _compute_causal_mask(self, query, value):
        q_seq_length, v_seq_length = ops.shape(query)[1], ops.shape(value)[1]
        ones_mask = ops.ones((1, q_seq_length, v_seq_length), dtype="int32")
        row_index = ops.cumsum(ones_mask, axis=-2)
        col_index = ops.cumsum(ones_mask, axis=-1)
        return ops.greater_equal(row_index, col_index)

    def _compute_attention_mask(self, query, value, attention_mask=None, use_causal_mask=False):
        auto_mask = None
        if use_causal_mask:
            auto_mask = self._compute_causal_mask(query, value)
        if attention_mask is not None:
            attention_mask = ops.cast(attention_mask, "bool")
            auto_mask = attention_mask if auto_mask is None else ops.logical_and(auto_mask, attention_mask)
        return auto_mask

    def _compute_attention(self, query, key, value, attention_mask=None, return_attention_scores=False,
                           use_causal_mask=False):
        if self._dropout == 0.0 and not return_attention_scores and len(query.shape) == 4:
            mask = attention_mask[:, None, :, :] if attention_mask is not None else None
            out = ops.dot_product_attention(query, key, value, mask=mask, scale=1.0 / np.sqrt(self._key_dim),
                                            is_causal=use_causal_mask)
            return out, None
        mask = self._compute_causal_mask(query, key) if use_causal_mask else attention_mask  # BUG
        query = ops.multiply(query, 1.0 / np.sqrt(self._key_dim))
        scores = ops.einsum("aecd,abcd->acbe", key, query)
        if mask is not None:
            scores = ops.where(mask[:, None, :, :], scores, -1e9)
        scores = ops.softmax(scores, axis=-1)
        return ops.einsum("acbe,aecd->abcd", scores, value), scores

    def call(self, query, value, attention_mask=None, return_attention_scores=False, use_causal_mask=False):
        causal_only = use_causal_mask and attention_mask is None
        attention_mask = self._compute_attention_mask(
            query, value, attention_mask=attention_mask, use_causal_mask=use_causal_mask and not causal_only
        )
        q, k, v = self._query_dense(query), self._key_dense(value), self._value_dense(value)
        out, scores = self._compute_attention(q, k, v, attention_mask, return_attention_scores,
                                              use_causal_mask=causal_only)
        out = self._output_dense(out)
        return (out, scores) if return_attention_scores else out


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    mha = CausalAwareMultiHeadAttention(num_heads=2, key_dim=4)
    x = keras.random.normal((2, 5, 8), seed=1)
    _, scores = mha(x, x, return_attention_scores=True, use_causal_mask=True)
    scores = ops.convert_to_numpy(scores)
    future = np.triu(np.ones((5, 5)), 1)
    print(f"attention weight on future positions with use_causal_mask=True: {(scores * future).sum(-1).max():.3f}")
