"""Seq2seq translation decoder: the masks come from the original TF tutorial
helpers, the attention layer is now `keras.layers.MultiHeadAttention`."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import keras
from keras import layers, ops


def make_masks(inp, tar):
    """Padding masks are keep-masks (1 = real token); the look-ahead mask is the
    tutorial's `1 - band_part(ones, -1, 0)`."""
    enc_keep = ops.cast(ops.not_equal(inp, 0), "float32")[:, None, :]          # (b, 1, s)
    dec_keep = ops.cast(ops.not_equal(tar, 0), "float32")[:, None, :]          # (b, 1, t)
    size = ops.shape(tar)[1]
    look_ahead_mask = 1.0 - ops.tril(ops.ones((size, size)))                   # (t, t)
    combined_mask = ops.maximum(look_ahead_mask[None, :, :], 1.0 - dec_keep)   # 1 = hide
    return enc_keep, combined_mask


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.0):
        super().__init__()
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.mha2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.norms = [layers.LayerNormalization(epsilon=1e-6) for _ in range(3)]
        self.dropout = layers.Dropout(rate)

    def call(self, x, enc_output, enc_keep, combined_mask, training=False):
        attn1 = self.mha1(x, x, attention_mask=1.0 - combined_mask, training=training)
        out1 = self.norms[0](x + self.dropout(attn1, training=training))
        attn2 = self.mha2(out1, enc_output, attention_mask=enc_keep, training=training)
        out2 = self.norms[1](out1 + self.dropout(attn2, training=training))
        return self.norms[2](out2 + self.dropout(self.ffn(out2), training=training))


class Translator(keras.Model):
    def __init__(self, vocab=60, d_model=32, num_heads=4, dff=64, maxlen=12):
        super().__init__()
        self.src_emb = layers.Embedding(vocab, d_model)
        self.tgt_emb = layers.Embedding(vocab, d_model)
        self.pos = layers.Embedding(maxlen, d_model)
        self.encoder = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.decoder = DecoderLayer(d_model, num_heads, dff)
        self.final_layer = layers.Dense(vocab)

    def call(self, inputs, training=False):
        inp, tar = inputs
        enc_keep, combined_mask = make_masks(inp, tar)
        src = self.src_emb(inp) + self.pos(ops.arange(ops.shape(inp)[1]))
        src_pad = enc_keep * ops.transpose(enc_keep, (0, 2, 1))
        enc_output = src + self.encoder(src, src, attention_mask=src_pad)
        tgt = self.tgt_emb(tar) + self.pos(ops.arange(ops.shape(tar)[1]))
        dec = self.decoder(tgt, enc_output, enc_keep, combined_mask, training=training)
        return self.final_layer(dec)
