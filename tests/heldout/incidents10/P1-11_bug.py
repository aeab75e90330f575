"""Transformer tutorial with keras.layers.MultiHeadAttention: the look-ahead
mask was already flipped to Keras' 1 = attend convention, the padding mask
was not.  Keras 3, KERAS_BACKEND=torch."""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    mask = ops.cast(ops.equal(seq, 0), "float32")  # BUG
    return mask[:, None, :]


def create_look_ahead_mask(size):
    return ops.tril(ops.ones((size, size)))  # 1 = may attend (Keras MHA convention)


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, **kwargs):
        super().__init__(**kwargs)
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.ln1 = layers.LayerNormalization(epsilon=1e-6)
        self.ln2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, mask, training=False):
        attn_output = self.mha(x, x, x, attention_mask=mask, training=training)
        out1 = self.ln1(x + attn_output)
        return self.ln2(out1 + self.ffn(out1))


class Encoder(layers.Layer):
    def __init__(self, vocab=40, d_model=16, num_heads=2, dff=32, num_layers=2, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(vocab, d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]

    def call(self, inp, training=False):
        enc_padding_mask = create_padding_mask(inp)
        x = self.embedding(inp)
        for layer in self.enc_layers:
            x = layer(x, enc_padding_mask, training=training)
        return x


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    enc = Encoder()
    inp = np.array([[5, 6, 7, 8, 0, 0], [3, 4, 9, 2, 7, 1]])
    a = ops.convert_to_numpy(enc(inp))
    # same real tokens, without padding
    b = ops.convert_to_numpy(enc(np.array([[5, 6, 7, 8]])))
    print("real-token change padded vs unpadded:", float(np.abs(a[0, :4] - b[0, :4]).max()))
