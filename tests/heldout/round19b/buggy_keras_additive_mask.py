"""Keras port of a PyTorch passage ranker; the mask helper came with the port."""
import keras
from keras import layers, ops

NEG_INF = -1e9


def additive_padding_mask(ids, pad_id=0):
    """(B, L) -> (B, 1, L): 0 for tokens, -1e9 for padding (PyTorch-style bias)."""
    pad = ops.cast(ops.equal(ids, pad_id), "float32")
    return ops.expand_dims(pad * NEG_INF, 1)


class RankerBlock(layers.Layer):
    def __init__(self, dim, heads, **kw):
        super().__init__(**kw)
        self.mha = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.ffn = keras.Sequential([layers.Dense(2 * dim, activation="relu"), layers.Dense(dim)])
        self.n1 = layers.LayerNormalization()
        self.n2 = layers.LayerNormalization()

    def call(self, x, bias):
        x = self.n1(x + self.mha(x, x, attention_mask=bias))  # BUG: Keras attention_mask is boolean (nonzero = attend): the -1e9 padding entries become "attend" and the 0.0 token entries are masked out
        return self.n2(x + self.ffn(x))


class PassageRanker(keras.Model):
    def __init__(self, vocab=3000, dim=32, heads=4, depth=2, max_len=64):
        super().__init__()
        self.emb = layers.Embedding(vocab, dim)
        self.pos = layers.Embedding(max_len, dim)
        self.blocks = [RankerBlock(dim, heads) for _ in range(depth)]
        self.score = layers.Dense(1)

    def call(self, ids):
        bias = additive_padding_mask(ids)
        x = self.emb(ids) + self.pos(ops.arange(ops.shape(ids)[1]))
        for blk in self.blocks:
            x = blk(x, bias)
        return ops.squeeze(self.score(x[:, 0]), -1)
