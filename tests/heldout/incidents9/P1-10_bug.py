import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
from keras import layers, ops


def create_padding_mask(seq):
    # 1 where the token is padding
    return ops.cast(ops.equal(seq, 0), "float32")[:, None, :]  # BUG


def create_look_ahead_mask(size):
    return 1 - ops.tril(ops.ones((size, size)))  # BUG


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)  # used in the 2nd attention block of the decoder
    look_ahead_mask = create_look_ahead_mask(ops.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = ops.maximum(dec_target_padding_mask, look_ahead_mask)  # BUG
    return enc_padding_mask, combined_mask, dec_padding_mask


class Transformer(keras.Model):
    def __init__(self, vocab_size=50, d_model=16, num_heads=4):
        super().__init__()
        self.embedding = layers.Embedding(vocab_size, d_model)
        kd = d_model // num_heads
        self.enc_mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=kd)
        self.dec_mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=kd)
        self.dec_mha2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=kd)
        self.final_layer = layers.Dense(vocab_size)

    def call(self, inputs, training=False):
        inp, tar = inputs
        enc_padding_mask, combined_mask, dec_padding_mask = create_masks(inp, tar)
        x = self.embedding(inp)
        enc_output = x + self.enc_mha(x, x, attention_mask=enc_padding_mask, training=training)
        y = self.embedding(tar)
        y = y + self.dec_mha1(y, y, attention_mask=combined_mask, training=training)
        y = y + self.dec_mha2(y, enc_output, attention_mask=dec_padding_mask, training=training)
        return self.final_layer(y)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    model = Transformer()
    inp = np.array([[5, 8, 2, 9, 0, 0], [3, 4, 7, 1, 6, 2]])
    tar = np.array([[1, 12, 4, 7, 0], [1, 3, 3, 9, 11]])
    logits = ops.convert_to_numpy(model((inp, tar)))
    tar2 = tar.copy()
    tar2[:, -1] = 20
    inp2 = inp.copy()
    inp2[0, 4:] = 33  # only the padded slots differ (still masked as padding below)
    logits2 = ops.convert_to_numpy(model((inp2, tar2)))
    print(logits.shape)
    print("decoder prefix change:", float(np.abs(logits2 - logits)[1, :-1].max()))
