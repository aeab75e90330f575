import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
from keras import layers, ops


def create_look_ahead_mask(size):
    mask = 1 - np.tril(np.ones((size, size), dtype="float32"))
    return mask  # (seq_len, seq_len)


def point_wise_feed_forward_network(d_model, dff):
    return keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.0):
        super().__init__()
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.mha2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = point_wise_feed_forward_network(d_model, dff)
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm3 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, enc_output, look_ahead_mask, training=False):
        attn1 = self.mha1(x, x, x, attention_mask=1 - look_ahead_mask, training=training)  # BUG
        out1 = self.layernorm1(attn1 + x)
        attn2 = self.mha2(out1, enc_output, enc_output, training=training)
        out2 = self.layernorm2(attn2 + out1)
        return self.layernorm3(self.ffn(out2) + out2)


class Decoder(layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, target_vocab_size):
        super().__init__()
        self.embedding = layers.Embedding(target_vocab_size, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]

    def call(self, x, enc_output, look_ahead_mask, training=False):
        x = self.embedding(x)
        for layer in self.dec_layers:
            x = layer(x, enc_output, look_ahead_mask, training=training)
        return x


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    decoder = Decoder(num_layers=2, d_model=16, num_heads=2, dff=32, target_vocab_size=40)
    enc_output = np.random.RandomState(0).randn(2, 7, 16).astype("float32")
    tar = np.random.RandomState(1).randint(1, 40, size=(2, 9))
    look_ahead = create_look_ahead_mask(tar.shape[1])[None]
    base = ops.convert_to_numpy(decoder(tar, enc_output, look_ahead))
    edited = tar.copy()
    edited[:, 5:] = (edited[:, 5:] + 3) % 39 + 1
    moved = ops.convert_to_numpy(decoder(edited, enc_output, look_ahead))
    leak = np.abs(moved[:, :5] - base[:, :5]).max()
    print(f"future leak: max |d dec_out[:, :5]| after editing target tokens 5.. = {leak:.4f}")
