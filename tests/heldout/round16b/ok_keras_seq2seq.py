import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
from keras import layers, ops


class CrossBlock(layers.Layer):
    def __init__(self, dim, heads, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.cross_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.ffn = keras.Sequential([layers.Dense(2 * dim, activation="relu"), layers.Dense(dim)])
        self.ln = [layers.LayerNormalization() for _ in range(3)]

    def call(self, x, context, source_keep, target_keep):
        x = self.ln[0](x + self.self_attn(x, x, attention_mask=target_keep[:, None, :], use_causal_mask=True))
        x = self.ln[1](x + self.cross_attn(x, context, attention_mask=source_keep[:, None, :]))
        return self.ln[2](x + self.ffn(x))


class Seq2Seq(keras.Model):
    def __init__(self, vocab=1500, dim=32, heads=2, max_len=40, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab, dim)
        self.pos = layers.Embedding(max_len, dim)
        self.enc = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.dec = CrossBlock(dim, heads)
        self.out = layers.Dense(vocab)

    def call(self, inputs):
        src, tgt = inputs
        src_keep, tgt_keep = ops.not_equal(src, 0), ops.not_equal(tgt, 0)
        s = self.embed(src) + self.pos(ops.arange(ops.shape(src)[1]))
        s = s + self.enc(s, s, attention_mask=ops.logical_and(src_keep[:, None, :], src_keep[:, :, None]))
        t = self.embed(tgt) + self.pos(ops.arange(ops.shape(tgt)[1]))
        return self.out(self.dec(t, s, src_keep, tgt_keep))


if __name__ == "__main__":
    import numpy as np

    src = np.random.randint(1, 1500, (2, 20))
    src[1, 14:] = 0
    tgt = np.random.randint(1, 1500, (2, 18))
    print(Seq2Seq()((src, tgt)).shape)
