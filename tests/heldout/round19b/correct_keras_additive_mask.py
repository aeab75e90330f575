"""Keras passage ranker: causal-free encoder with a boolean keep mask for MHA."""
import keras
from keras import layers, ops


def keep_mask(ids, pad_id=0):
    """(B, L) -> (B, L, L) boolean: query i may attend key j when both are tokens."""
    tok = ops.not_equal(ids, pad_id)
    return ops.logical_and(ops.expand_dims(tok, 2), ops.expand_dims(tok, 1))


class RankerBlock(layers.Layer):
    def __init__(self, dim, heads, **kw):
        super().__init__(**kw)
        self.mha = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.ffn = keras.Sequential([layers.Dense(2 * dim, activation="relu"), layers.Dense(dim)])
        self.n1 = layers.LayerNormalization()
        self.n2 = layers.LayerNormalization()

    def call(self, x, mask):
        x = self.n1(x + self.mha(x, x, attention_mask=mask))
        return self.n2(x + self.ffn(x))


class PassageRanker(keras.Model):
    def __init__(self, vocab=3000, dim=32, heads=4, depth=2, max_len=64):
        super().__init__()
        self.emb = layers.Embedding(vocab, dim)
        self.pos = layers.Embedding(max_len, dim)
        self.blocks = [RankerBlock(dim, heads) for _ in range(depth)]
        self.score = layers.Dense(1)

    def call(self, ids):
        mask = keep_mask(ids)
        x = self.emb(ids) + self.pos(ops.arange(ops.shape(ids)[1]))
        for blk in self.blocks:
            x = blk(x, mask)
        return ops.squeeze(self.score(x[:, 0]), -1)
