"""Keras ticket classifier with an explicit attention padding mask."""
import keras
from keras import layers, ops

VOCAB, MAX_LEN, DIM = 2000, 32, 32


class TokenAndPosition(layers.Layer):
    def __init__(self, vocab, max_len, dim, **kw):
        super().__init__(**kw)
        self.tok = layers.Embedding(vocab, dim)
        self.pos = layers.Embedding(max_len, dim)

    def call(self, ids):
        return self.tok(ids) + self.pos(ops.arange(ops.shape(ids)[-1]))


class PaddingMask(layers.Layer):
    def call(self, ids):
        is_pad = ops.equal(ids, 0)
        return ops.expand_dims(ops.logical_not(is_pad), axis=1)


class EncoderBlock(layers.Layer):
    def __init__(self, dim, heads, ff, rate=0.1, **kw):
        super().__init__(**kw)
        self.att = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.ffn = keras.Sequential([layers.Dense(ff, activation="relu"), layers.Dense(dim)])
        self.ln1 = layers.LayerNormalization(epsilon=1e-6)
        self.ln2 = layers.LayerNormalization(epsilon=1e-6)
        self.drop = layers.Dropout(rate)

    def call(self, x, mask, training=False):
        a = self.att(x, x, attention_mask=mask, training=training)
        x = self.ln1(x + self.drop(a, training=training))
        return self.ln2(x + self.drop(self.ffn(x), training=training))


def build_classifier(n_classes=5, heads=4, ff=64, depth=2):
    ids = keras.Input(shape=(MAX_LEN,), dtype="int32")
    mask = PaddingMask()(ids)
    x = TokenAndPosition(VOCAB, MAX_LEN, DIM)(ids)
    for _ in range(depth):
        x = EncoderBlock(DIM, heads, ff)(x, mask)
    x = layers.GlobalAveragePooling1D()(x)
    out = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(ids, out)
