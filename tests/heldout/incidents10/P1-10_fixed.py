"""Transformer model for language understanding (TF tutorial), where the
hand-written attention was replaced by keras.layers.MultiHeadAttention but
the tutorial's mask helpers were kept.  Keras 3, KERAS_BACKEND=torch."""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    return seq[:, None, :]  # (batch_size, 1, seq_len): 1 = padding


def create_look_ahead_mask(size):
    return 1 - ops.tril(ops.ones((size, size)))  # 1 = future


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)
    look_ahead_mask = create_look_ahead_mask(ops.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = ops.maximum(dec_target_padding_mask, look_ahead_mask[None])
    return 1 - enc_padding_mask, 1 - combined_mask, 1 - dec_padding_mask


class TinyTransformer(keras.Model):
    def __init__(self, vocab=50, d_model=16, num_heads=2, **kwargs):
        super().__init__(**kwargs)
        self.emb_in = layers.Embedding(vocab, d_model)
        self.emb_tar = layers.Embedding(vocab, d_model)
        self.enc_mha = layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.dec_mha1 = layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.dec_mha2 = layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.final = layers.Dense(vocab)

    def call(self, inputs, training=False):
        inp, tar = inputs
        enc_padding_mask, combined_mask, dec_padding_mask = create_masks(inp, tar)
        x = self.emb_in(inp)
        enc = x + self.enc_mha(x, x, attention_mask=enc_padding_mask, training=training)
        y = self.emb_tar(tar)
        y = y + self.dec_mha1(y, y, attention_mask=combined_mask, training=training)
        y = y + self.dec_mha2(y, enc, attention_mask=dec_padding_mask, training=training)
        return self.final(y)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    model = TinyTransformer()
    inp = np.array([[5, 6, 7, 8, 0, 0], [3, 4, 9, 2, 7, 1]])
    tar = np.array([[1, 4, 5, 6, 9], [1, 2, 3, 8, 7]])
    tar2 = tar.copy(); tar2[:, -1] = 11
    a = ops.convert_to_numpy(model((inp, tar))); b = ops.convert_to_numpy(model((inp, tar2)))
    print("decoder prefix change when last target token changes:", float(np.abs(a[:, :-1] - b[:, :-1]).max()))
