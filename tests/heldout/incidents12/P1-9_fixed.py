import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


def create_look_ahead_mask(size):
    mask = 1 - ops.tril(ops.ones((size, size)))
    return mask


class DecoderBlock(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, look_ahead_mask, training=False):
        attn = self.mha(x, x, x, attention_mask=look_ahead_mask, training=training)
        out1 = self.layernorm1(x + attn)
        return self.layernorm2(out1 + self.ffn(out1))


class MiniGPT(keras.Model):
    def __init__(self, vocab_size, maxlen, d_model=32, num_heads=4, dff=64, num_layers=2, **kwargs):
        super().__init__(**kwargs)
        self.token_emb = layers.Embedding(vocab_size, d_model)
        self.pos_emb = layers.Embedding(maxlen, d_model)
        self.blocks = [DecoderBlock(d_model, num_heads, dff) for _ in range(num_layers)]
        self.final = layers.Dense(vocab_size)

    def call(self, tokens, training=False):
        seq_len = ops.shape(tokens)[1]
        look_ahead_mask = 1 - create_look_ahead_mask(seq_len)
        x = self.token_emb(tokens) + self.pos_emb(ops.arange(seq_len))
        for block in self.blocks:
            x = block(x, look_ahead_mask[None, :, :], training=training)
        return self.final(x)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    model = MiniGPT(vocab_size=50, maxlen=16)
    tokens = np.random.randint(1, 50, size=(2, 12))
    edited = tokens.copy()
    edited[:, 8:] = np.random.randint(1, 50, size=(2, 4))
    a = ops.convert_to_numpy(model(tokens))
    b = ops.convert_to_numpy(model(edited))
    print(f"future leak: max |d logits[:, :8]| after editing tokens 8.. = {np.abs(a[:, :8] - b[:, :8]).max():.4f}")
