import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
from keras import layers, ops


class MaskMaker:
    """Masks as in the TF transformer tutorial (1 = mask this position).

    NOTE: keras.layers.MultiHeadAttention uses the opposite convention (1 = attend),
    so the look-ahead mask is inverted before it is handed to the Keras layer.
    """

    def __init__(self, pad_id=0):
        self.pad_id = pad_id

    def padding(self, seq):
        return ops.cast(ops.equal(seq, self.pad_id), "float32")[:, None, :]

    def look_ahead(self, size):
        return 1 - ops.tril(ops.ones((size, size)))

    def __call__(self, inp, tar):
        enc_padding_mask = self.padding(inp)
        look_ahead_mask = 1 - self.look_ahead(ops.shape(tar)[1])  # inverted for Keras
        return enc_padding_mask, look_ahead_mask


class CrossAttentionDecoderBlock(layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.self_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.cross_attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.norm1 = layers.LayerNormalization()
        self.norm2 = layers.LayerNormalization()

    def call(self, x, context, look_ahead_mask, padding_mask):
        x = self.norm1(x + self.self_attn(x, x, attention_mask=look_ahead_mask))
        return self.norm2(x + self.cross_attn(x, context, attention_mask=1 - padding_mask))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    emb = layers.Embedding(40, 16)
    block = CrossAttentionDecoderBlock(d_model=16, num_heads=4)
    masks = MaskMaker()
    inp = np.array([[4, 9, 12, 0, 0, 0], [7, 2, 5, 3, 8, 1]])
    tar = np.array([[1, 5, 6, 2], [1, 9, 9, 3]])
    enc_pad, look_ahead = masks(inp, tar)
    out = ops.convert_to_numpy(block(emb(tar), emb(inp), look_ahead, enc_pad))
    inp2 = inp.copy()
    inp2[0, 3:] = [30, 31, 32]  # rewrite the padded source slots ...
    ctx2 = ops.convert_to_numpy(emb(inp2))
    out2 = ops.convert_to_numpy(block(emb(tar), ctx2, look_ahead, enc_pad))  # ... but keep the same mask
    print(out.shape)
    print("output change from padded source slots:", float(np.abs(out2 - out)[0].max()))
