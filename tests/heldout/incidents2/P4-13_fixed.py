import keras
from keras import ops


class CausalSelfAttention(keras.layers.Layer):
    def __init__(self, num_heads, key_dim, use_fused=True, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.use_fused = use_fused
        self.qkv = keras.layers.Dense(3 * num_heads * key_dim, use_bias=False)
        self.out = keras.layers.Dense(num_heads * key_dim)

    def _split(self, x):
        b, t = ops.shape(x)[0], ops.shape(x)[1]
        return ops.reshape(x, (b, t, self.num_heads, self.key_dim))

    def call(self, x, padding_mask=None, use_causal_mask=True):
        q, k, v = ops.split(self.qkv(x), 3, axis=-1)
        q, k, v = self._split(q), self._split(k), self._split(v)
        mask = None
        if padding_mask is not None:
            mask = ops.cast(padding_mask[:, None, None, :], "bool")  # (B, 1, 1, S), True = attend

        if self.use_fused and mask is None:
            out = ops.dot_product_attention(q, k, v, is_causal=use_causal_mask)
        else:
            scores = ops.einsum("bqhd,bkhd->bhqk", q, k) / (self.key_dim ** 0.5)
            if use_causal_mask:
                t_q, t_k = ops.shape(q)[1], ops.shape(k)[1]
                causal = ops.tril(ops.ones((t_q, t_k), dtype="bool"))[None, None]
                mask = causal if mask is None else ops.logical_and(mask, causal)
            if mask is not None:
                scores = ops.where(mask, scores, ops.full_like(scores, -1e9))
            weights = ops.softmax(scores, axis=-1)
            out = ops.einsum("bhqk,bkhd->bqhd", weights, v)

        b, t = ops.shape(x)[0], ops.shape(x)[1]
        return self.out(ops.reshape(out, (b, t, self.num_heads * self.key_dim)))


def build_lm(vocab_size=8000, seq_len=128, d_model=256, num_heads=4):
    tokens = keras.Input(shape=(seq_len,), dtype="int32")
    padding = keras.Input(shape=(seq_len,), dtype="bool")
    x = keras.layers.Embedding(vocab_size, d_model)(tokens)
    x = x + CausalSelfAttention(num_heads, d_model // num_heads)(x, padding_mask=padding)
    x = keras.layers.LayerNormalization()(x)
    logits = keras.layers.Dense(vocab_size)(x)
    return keras.Model([tokens, padding], logits)


if __name__ == "__main__":
    model = build_lm()
    model.summary()
