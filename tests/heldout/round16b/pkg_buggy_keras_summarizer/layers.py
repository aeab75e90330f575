import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
from keras import layers, ops


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, self_mask, training=False):
        attn = self.mha(x, x, attention_mask=self_mask, training=training)  # expect: ML102
        x = self.norm1(x + attn)
        return self.norm2(x + self.ffn(x))


class HeadlineGenerator(keras.Model):
    def __init__(self, vocab=2000, d_model=32, num_heads=4, dff=64, num_layers=2, max_len=64, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab, d_model)
        self.pos = layers.Embedding(max_len, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]
        self.final = layers.Dense(vocab)

    def call(self, tokens, mask, training=False):
        x = self.embedding(tokens) + self.pos(ops.arange(ops.shape(tokens)[1]))
        for layer in self.dec_layers:
            x = layer(x, mask, training=training)
        return self.final(x)
