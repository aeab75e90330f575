import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    return seq[:, np.newaxis, :]


def create_look_ahead_mask(size):
    return 1 - ops.tril(ops.ones((size, size)))


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, training, mask):
        attn_output = self.mha(x, x, x, attention_mask=1 - mask, training=training)
        out1 = self.layernorm1(x + attn_output)
        return self.layernorm2(out1 + self.ffn(out1))


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, training, look_ahead_mask):
        attn1 = self.mha1(x, x, x, attention_mask=1 - look_ahead_mask, training=training)
        out1 = self.layernorm1(attn1 + x)
        return self.layernorm2(out1 + self.ffn(out1))


class Encoder(layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, input_vocab_size, rate=0.1):
        super().__init__()
        self.d_model = d_model
        self.embedding = layers.Embedding(input_vocab_size, d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]

    def call(self, x, training, mask):
        x = self.embedding(x) * ops.sqrt(ops.cast(self.d_model, "float32"))
        for layer in self.enc_layers:
            x = layer(x, training=training, mask=mask)
        return x


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    encoder = Encoder(num_layers=2, d_model=16, num_heads=2, dff=32, input_vocab_size=50)
    inp = np.array([[11, 4, 29, 8, 0, 0, 0], [5, 17, 3, 9, 41, 22, 7]])
    enc_padding_mask = create_padding_mask(inp)
    out = encoder(inp, training=False, mask=enc_padding_mask)
    swapped = inp.copy()
    swapped[0, 4:] = [13, 2, 37]
    out2 = encoder(swapped, training=False, mask=enc_padding_mask)
    diff = float(ops.max(ops.abs(out[0, :4] - out2[0, :4])))
    print(f"real-token change when padded tokens change: {diff:.3e}")
