import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
from keras import layers, ops


def create_padding_mask(seq):
    return ops.cast(ops.equal(seq, 0), "float32")[:, None, None, :]


def create_look_ahead_mask(size):
    return 1.0 - ops.tril(ops.ones((size, size)))


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff):
        super().__init__()
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.ln1 = layers.LayerNormalization(epsilon=1e-6)
        self.ln2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, mask):
        x = self.ln1(x + self.mha(x, x, x, attention_mask=mask))
        return self.ln2(x + self.ffn(x))


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff):
        super().__init__()
        self.self_mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.cross_mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.lns = [layers.LayerNormalization(epsilon=1e-6) for _ in range(3)]

    def call(self, x, enc_out, look_ahead_mask, padding_mask):
        x = self.lns[0](x + self.self_mha(x, x, x, attention_mask=look_ahead_mask))
        x = self.lns[1](x + self.cross_mha(x, enc_out, enc_out, attention_mask=padding_mask))
        return self.lns[2](x + self.ffn(x))


class Translator(keras.Model):
    def __init__(self, vocab=32, d_model=16, num_heads=2, dff=32):
        super().__init__()
        self.src_emb = layers.Embedding(vocab, d_model)
        self.tgt_emb = layers.Embedding(vocab, d_model)
        self.encoder = EncoderLayer(d_model, num_heads, dff)
        self.decoder = DecoderLayer(d_model, num_heads, dff)
        self.head = layers.Dense(vocab)

    def call(self, inputs):
        src, tgt = inputs
        enc_padding_mask = create_padding_mask(src)
        look_ahead_mask = 1.0 - create_look_ahead_mask(ops.shape(tgt)[1])
        enc_out = self.encoder(self.src_emb(src), enc_padding_mask)  # BUG
        dec = self.decoder(self.tgt_emb(tgt), enc_out, look_ahead_mask, enc_padding_mask)  # BUG
        return self.head(dec)


if __name__ == "__main__":
    keras.utils.set_random_seed(2)
    model = Translator()
    src = np.array([[5, 9, 3, 14, 2, 0, 0, 0], [7, 7, 1, 8, 6, 4, 22, 9]])
    tgt = np.array([[1, 4, 6, 2], [1, 3, 3, 5]])
    base = ops.convert_to_numpy(model((src, tgt)))
    shorter = ops.convert_to_numpy(model((src[:1, :5], tgt[:1])))
    gap = np.abs(base[0] - shorter[0]).max()
    print(f"sentence 0 logits: |padded-batch - unpadded| = {gap:.4f}")
