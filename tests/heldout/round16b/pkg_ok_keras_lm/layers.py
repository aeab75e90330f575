import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
from keras import layers, ops


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, **kwargs):
        super().__init__(**kwargs)
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.norm1, self.norm2 = layers.LayerNormalization(), layers.LayerNormalization()

    def call(self, x, look_ahead_mask):
        keep = ops.logical_not(ops.cast(look_ahead_mask, "bool"))
        x = self.norm1(x + self.mha(x, x, attention_mask=keep))
        return self.norm2(x + self.ffn(x))


class PoemLM(keras.Model):
    def __init__(self, vocab=2000, d_model=32, num_heads=4, dff=64, num_layers=2, max_len=64, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab, d_model)
        self.pos = layers.Embedding(max_len, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]
        self.final = layers.Dense(vocab)

    def call(self, tokens, mask):
        x = self.embedding(tokens) + self.pos(ops.arange(ops.shape(tokens)[1]))
        for layer in self.dec_layers:
            x = layer(x, mask)
        return self.final(x)
