"""Seq2seq with keras.layers.MultiHeadAttention: causal flag for self-attention,
source padding mask (True = attend) for cross-attention."""
import keras
from keras import layers, ops


class DecoderBlock(layers.Layer):
    def __init__(self, d_model=256, heads=8, dff=1024, rate=0.1, **kw):
        super().__init__(**kw)
        self.self_attn = layers.MultiHeadAttention(heads, key_dim=d_model // heads, dropout=rate)
        self.cross_attn = layers.MultiHeadAttention(heads, key_dim=d_model // heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="gelu"), layers.Dense(d_model)])
        self.n1 = layers.LayerNormalization()
        self.n2 = layers.LayerNormalization()
        self.n3 = layers.LayerNormalization()

    def call(self, x, memory, tgt_keep, src_keep, training=False):
        a = self.self_attn(
            query=x, value=x, key=x,
            attention_mask=tgt_keep[:, None, :],     # (B, 1, T): padded targets are not keys
            use_causal_mask=True,
            training=training,
        )
        x = self.n1(x + a)
        c = self.cross_attn(
            query=x, value=memory, key=memory,
            attention_mask=src_keep[:, None, :],     # (B, 1, S)
            training=training,
        )
        x = self.n2(x + c)
        return self.n3(x + self.ffn(x))


class EncoderBlock(layers.Layer):
    def __init__(self, d_model=256, heads=8, dff=1024, rate=0.1, **kw):
        super().__init__(**kw)
        self.attn = layers.MultiHeadAttention(heads, key_dim=d_model // heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="gelu"), layers.Dense(d_model)])
        self.n1 = layers.LayerNormalization()
        self.n2 = layers.LayerNormalization()

    def call(self, x, src_keep, training=False):
        x = self.n1(x + self.attn(x, x, attention_mask=src_keep[:, None, :], training=training))
        return self.n2(x + self.ffn(x))


class Seq2Seq(keras.Model):
    def __init__(self, vocab=16000, d_model=256, max_len=64):
        super().__init__()
        self.emb = layers.Embedding(vocab, d_model)
        self.pos = layers.Embedding(max_len, d_model)
        self.enc = EncoderBlock(d_model)
        self.dec = DecoderBlock(d_model)
        self.head = layers.Dense(vocab)

    def call(self, inputs, training=False):
        src, tgt = inputs
        src_keep = ops.not_equal(src, 0)
        tgt_keep = ops.not_equal(tgt, 0)
        xs = self.emb(src) + self.pos(ops.arange(ops.shape(src)[1]))
        xt = self.emb(tgt) + self.pos(ops.arange(ops.shape(tgt)[1]))
        memory = self.enc(xs, src_keep, training=training)
        return self.head(self.dec(xt, memory, tgt_keep, src_keep, training=training))
