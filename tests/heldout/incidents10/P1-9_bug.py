"""Neural machine translation with a Transformer and Keras (tensorflow/text
tutorial style), ported to Keras 3.  Run with KERAS_BACKEND=torch."""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import keras
from keras import layers, ops


def create_look_ahead_mask(size):
    mask = 1 - ops.tril(ops.ones((size, size)))  # BUG
    return mask  # (seq_len, seq_len)


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, look_ahead_mask=None, training=False):
        attn1 = self.mha1(query=x, value=x, key=x, attention_mask=look_ahead_mask, training=training)
        out1 = self.layernorm1(attn1 + x)
        return self.layernorm2(out1 + self.ffn(out1))


class Decoder(layers.Layer):
    def __init__(self, num_layers=2, d_model=16, num_heads=2, dff=32, **kwargs):
        super().__init__(**kwargs)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]

    def call(self, x, training=False):
        seq_len = ops.shape(x)[1]
        look_ahead_mask = create_look_ahead_mask(seq_len)[None, :, :]
        for layer in self.dec_layers:
            x = layer(x, look_ahead_mask=look_ahead_mask, training=training)
        return x


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    dec = Decoder()
    x = np.random.randn(2, 6, 16).astype("float32")
    x2 = x.copy(); x2[:, -1] = np.random.randn(2, 16)
    a = ops.convert_to_numpy(dec(x)); b = ops.convert_to_numpy(dec(x2))
    print("prefix change when last token changes:", float(np.abs(a[:, :-1] - b[:, :-1]).max()))
