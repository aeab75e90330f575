import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")
    return seq[:, None, None, :]  # (batch, 1, 1, seq_len), 1 = pad


def create_look_ahead_mask(size):
    return 1 - ops.tril(ops.ones((size, size)))


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)
    look_ahead_mask = create_look_ahead_mask(tar.shape[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = ops.maximum(dec_target_padding_mask, look_ahead_mask)
    return enc_padding_mask, combined_mask, dec_padding_mask


class Transformer(keras.Model):
    def __init__(self, d_model=16, num_heads=2, vocab=30):
        super().__init__()
        self.enc_emb = layers.Embedding(vocab, d_model)
        self.dec_emb = layers.Embedding(vocab, d_model)
        self.enc_mha = layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.dec_mha1 = layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.dec_mha2 = layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.norms = [layers.LayerNormalization() for _ in range(3)]
        self.final = layers.Dense(vocab)

    def call(self, inp, tar, training=False):
        enc_padding_mask, combined_mask, dec_padding_mask = create_masks(inp, tar)
        e = self.enc_emb(inp)
        enc = self.norms[0](e + self.enc_mha(e, e, attention_mask=1 - enc_padding_mask))  # BUG
        d = self.dec_emb(tar)
        d = self.norms[1](d + self.dec_mha1(d, d, attention_mask=1 - combined_mask))  # BUG
        d = self.norms[2](d + self.dec_mha2(d, enc, attention_mask=1 - dec_padding_mask))  # BUG
        return self.final(d)


def loss_function(real, pred):
    loss = keras.losses.sparse_categorical_crossentropy(real, pred, from_logits=True)
    mask = ops.cast(ops.not_equal(real, 0), loss.dtype)
    return ops.sum(loss * mask) / ops.sum(mask)


if __name__ == "__main__":
    keras.utils.set_random_seed(1)
    model = Transformer()
    rs = np.random.RandomState(0)
    inp = rs.randint(1, 30, size=(2, 8)); inp[1, 6:] = 0
    tar = rs.randint(1, 30, size=(2, 7)); tar[1, 5:] = 0
    tar_inp, tar_real = tar[:, :-1], tar[:, 1:]
    pred = ops.convert_to_numpy(model(inp, tar_inp))
    loss = float(ops.convert_to_numpy(loss_function(tar_real, pred)))
    edited = tar_inp.copy(); edited[0, 3:] = (edited[0, 3:] % 29) + 1
    leak = np.abs(ops.convert_to_numpy(model(inp, edited))[0, :3] - pred[0, :3]).max()
    print(f"untrained loss={loss:.4f}; future leak on target positions 0-2 = {leak:.4f}")
