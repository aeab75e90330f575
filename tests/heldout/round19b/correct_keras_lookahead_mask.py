"""Keras decoder layer with a lower-triangular attention mask."""
import keras
from keras import layers, ops


def causal_attention_mask(size):
    # 1 where the query may look at the key (the key is not in its future)
    return ops.tril(ops.ones((size, size), dtype="int32"))


def positional_encoding(length, depth):
    pos = ops.arange(length, dtype="float32")[:, None]
    i = ops.arange(depth // 2, dtype="float32")[None, :]
    angle = pos / ops.power(10000.0, 2.0 * i / depth)
    return ops.concatenate([ops.sin(angle), ops.cos(angle)], axis=-1)


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)
        self.drop = layers.Dropout(rate)

    def call(self, x, training=False):
        seq_len = ops.shape(x)[1]
        mask = causal_attention_mask(seq_len)[None]
        attn = self.mha(query=x, value=x, key=x, attention_mask=mask, training=training)
        x = self.norm1(x + self.drop(attn, training=training))
        return self.norm2(x + self.drop(self.ffn(x), training=training))


class TinyDecoder(keras.Model):
    def __init__(self, vocab_size, d_model=32, num_heads=4, dff=64, num_layers=2, max_len=128):
        super().__init__()
        self.d_model = d_model
        self.embedding = layers.Embedding(vocab_size, d_model)
        self.pos = positional_encoding(max_len, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]
        self.final = layers.Dense(vocab_size)

    def call(self, tokens, training=False):
        seq_len = ops.shape(tokens)[1]
        x = self.embedding(tokens) * ops.sqrt(float(self.d_model))
        x = x + self.pos[None, :seq_len]
        for layer in self.dec_layers:
            x = layer(x, training=training)
        return self.final(x)
