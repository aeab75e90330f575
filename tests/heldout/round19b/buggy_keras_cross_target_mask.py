"""Keras seq2seq for fixed-width (padded to MAX_LEN) spelling correction."""
import keras
from keras import layers, ops

MAX_LEN = 16
PAD = 0


def padding_keep(tokens):
    """(B, L) ids -> (B, 1, L), True where the key is a real token."""
    return ops.expand_dims(ops.not_equal(tokens, PAD), axis=1)


class EncoderBlock(layers.Layer):
    def __init__(self, dim, heads, **kw):
        super().__init__(**kw)
        self.attn = layers.MultiHeadAttention(heads, dim // heads)
        self.ff = keras.Sequential([layers.Dense(2 * dim, activation="gelu"), layers.Dense(dim)])
        self.n1, self.n2 = layers.LayerNormalization(), layers.LayerNormalization()

    def call(self, x, keep):
        x = self.n1(x + self.attn(x, x, attention_mask=keep))
        return self.n2(x + self.ff(x))


class DecoderBlock(layers.Layer):
    def __init__(self, dim, heads, **kw):
        super().__init__(**kw)
        self.self_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.ff = keras.Sequential([layers.Dense(2 * dim, activation="gelu"), layers.Dense(dim)])
        self.n1, self.n2, self.n3 = layers.LayerNormalization(), layers.LayerNormalization(), layers.LayerNormalization()

    def call(self, y, memory, tgt_keep, src_keep):
        y = self.n1(y + self.self_attn(y, y, attention_mask=tgt_keep))  # BUG: decoder self-attention has padding only, no use_causal_mask=True: teacher-forced targets see the future
        y = self.n2(y + self.cross_attn(query=y, value=memory, key=memory, attention_mask=tgt_keep))  # BUG: cross-attention keys are encoder positions; this passes the target padding instead of src_keep
        return self.n3(y + self.ff(y))


class Speller(keras.Model):
    def __init__(self, vocab=40, dim=32, heads=4, depth=2):
        super().__init__()
        self.src_emb = layers.Embedding(vocab, dim)
        self.tgt_emb = layers.Embedding(vocab, dim)
        self.pos = layers.Embedding(MAX_LEN, dim)
        self.enc = [EncoderBlock(dim, heads) for _ in range(depth)]
        self.dec = [DecoderBlock(dim, heads) for _ in range(depth)]
        self.out = layers.Dense(vocab)

    def call(self, inputs):
        src, tgt = inputs
        positions = ops.arange(MAX_LEN)
        src_keep, tgt_keep = padding_keep(src), padding_keep(tgt)
        h = self.src_emb(src) + self.pos(positions)
        for blk in self.enc:
            h = blk(h, src_keep)
        y = self.tgt_emb(tgt) + self.pos(positions)
        for blk in self.dec:
            y = blk(y, h, tgt_keep, src_keep)
        return self.out(y)
