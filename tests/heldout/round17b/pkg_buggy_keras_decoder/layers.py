"""Encoder and decoder blocks."""
import keras
from keras import layers


class CodeEncoderBlock(layers.Layer):
    def __init__(self, dim, heads, ff, **kw):
        super().__init__(**kw)
        self.attn = layers.MultiHeadAttention(heads, dim // heads)
        self.ff = keras.Sequential([layers.Dense(ff, activation="gelu"), layers.Dense(dim)])
        self.ln1, self.ln2 = layers.LayerNormalization(), layers.LayerNormalization()

    def call(self, x, mask):
        x = self.ln1(x + self.attn(x, x, attention_mask=mask))
        return self.ln2(x + self.ff(x))

    def get_config(self):
        return {**super().get_config(), "dim": self.attn.key_dim * self.attn.num_heads}


class DocDecoderBlock(layers.Layer):
    def __init__(self, dim, heads, ff, **kw):
        super().__init__(**kw)
        self.self_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.ff = keras.Sequential([layers.Dense(ff, activation="gelu"), layers.Dense(dim)])
        self.ln1, self.ln2, self.ln3 = (layers.LayerNormalization() for _ in range(3))

    def call(self, x, memory, self_mask, cross_mask):
        x = self.ln1(x + self.self_attn(x, x, attention_mask=self_mask))
        x = self.ln2(x + self.cross_attn(x, memory, attention_mask=cross_mask))
        return self.ln3(x + self.ff(x))

    def get_config(self):
        return {**super().get_config(), "heads": self.self_attn.num_heads}
