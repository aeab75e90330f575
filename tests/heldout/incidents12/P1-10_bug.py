import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    return seq[:, None, :]


def create_look_ahead_mask(size):
    return 1 - ops.tril(ops.ones((size, size)))


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)
    look_ahead_mask = create_look_ahead_mask(ops.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = ops.maximum(dec_target_padding_mask, look_ahead_mask[None])
    return enc_padding_mask, combined_mask, dec_padding_mask


class Transformer(keras.Model):
    def __init__(self, d_model, num_heads, dff, input_vocab_size, target_vocab_size, maxlen=32):
        super().__init__()
        self.enc_emb = layers.Embedding(input_vocab_size, d_model)
        self.dec_emb = layers.Embedding(target_vocab_size, d_model)
        self.pos = layers.Embedding(maxlen, d_model)
        self.enc_mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.dec_mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.dec_mha2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.enc_ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.dec_ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.norms = [layers.LayerNormalization(epsilon=1e-6) for _ in range(5)]
        self.final_layer = layers.Dense(target_vocab_size)

    def call(self, inputs, training=False):
        inp, tar = inputs
        enc_padding_mask, combined_mask, dec_padding_mask = create_masks(inp, tar)  # BUG
        x = self.enc_emb(inp) + self.pos(ops.arange(ops.shape(inp)[1]))
        x = self.norms[0](x + self.enc_mha(x, x, x, attention_mask=enc_padding_mask, training=training))
        enc_output = self.norms[1](x + self.enc_ffn(x))
        y = self.dec_emb(tar) + self.pos(ops.arange(ops.shape(tar)[1]))
        y = self.norms[2](y + self.dec_mha1(y, y, y, attention_mask=combined_mask, training=training))
        y = self.norms[3](y + self.dec_mha2(y, enc_output, enc_output, attention_mask=dec_padding_mask, training=training))
        y = self.norms[4](y + self.dec_ffn(y))
        return self.final_layer(y)


if __name__ == "__main__":
    keras.utils.set_random_seed(1)
    transformer = Transformer(32, 4, 64, input_vocab_size=40, target_vocab_size=40)
    inp = np.array([[5, 8, 3, 9, 2, 0, 0], [7, 1, 4, 6, 3, 8, 2]])
    tar = np.array([[1, 12, 30, 7, 21, 9], [1, 4, 17, 26, 5, 33]])
    edited = tar.copy()
    edited[:, 3:] = [[2, 3, 4], [5, 6, 7]]
    a = ops.convert_to_numpy(transformer((inp, tar)))
    b = ops.convert_to_numpy(transformer((inp, edited)))
    print(f"decoder future leak: max |d logits[:, :3]| after editing target tokens 3.. = {np.abs(a[:, :3] - b[:, :3]).max():.4f}")
