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


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)
    look_ahead_mask = create_look_ahead_mask(ops.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = ops.maximum(dec_target_padding_mask, look_ahead_mask)
    return enc_padding_mask, combined_mask, dec_padding_mask


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff):
        super().__init__()
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, mask):
        attn = self.mha(x, x, x, attention_mask=1 - mask)
        out1 = self.norm1(x + attn)
        return self.norm2(out1 + self.ffn(out1))


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff):
        super().__init__()
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.mha2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)
        self.norm3 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, enc_output, look_ahead_mask, padding_mask):
        attn1 = self.mha1(x, x, x, attention_mask=1 - look_ahead_mask)
        out1 = self.norm1(attn1 + x)
        attn2 = self.mha2(out1, enc_output, enc_output, attention_mask=1 - padding_mask)
        out2 = self.norm2(attn2 + out1)
        return self.norm3(out2 + self.ffn(out2))


class Transformer(keras.Model):
    def __init__(self, d_model, num_heads, dff, input_vocab_size, target_vocab_size):
        super().__init__()
        self.enc_emb = layers.Embedding(input_vocab_size, d_model)
        self.dec_emb = layers.Embedding(target_vocab_size, d_model)
        self.encoder = EncoderLayer(d_model, num_heads, dff)
        self.decoder = DecoderLayer(d_model, num_heads, dff)
        self.final_layer = layers.Dense(target_vocab_size)

    def call(self, inputs):
        inp, tar = inputs
        enc_padding_mask, combined_mask, dec_padding_mask = create_masks(inp, tar)
        enc_output = self.encoder(self.enc_emb(inp), enc_padding_mask)
        dec_output = self.decoder(self.dec_emb(tar), enc_output, combined_mask, dec_padding_mask)
        return self.final_layer(dec_output)


if __name__ == "__main__":
    keras.utils.set_random_seed(1)
    model = Transformer(d_model=16, num_heads=2, dff=32, input_vocab_size=30, target_vocab_size=30)
    inp = np.array([[4, 9, 2, 7, 0, 0], [3, 5, 8, 1, 6, 2]])
    tar = np.array([[1, 12, 17, 5, 9, 0], [1, 8, 3, 22, 14, 6]])
    tar2 = tar.copy()
    tar2[1, -1] = 27
    a = model((inp, tar))
    b = model((inp, tar2))
    diff = float(ops.max(ops.abs(a[1, :-1] - b[1, :-1])))
    print(f"prefix change when last token changes: {diff:.3e}")
