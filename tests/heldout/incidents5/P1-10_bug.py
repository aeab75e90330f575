"""Config-driven Keras transformer reusing the tutorial's mask helpers with keras MultiHeadAttention."""
from dataclasses import dataclass

import tensorflow as tf


@dataclass
class TransformerConfig:
    num_layers: int = 4
    d_model: int = 128
    num_heads: int = 8
    dff: int = 512
    vocab_size: int = 8000
    dropout_rate: float = 0.1
    pad_id: int = 0


def create_padding_mask(seq, pad_id=0):
    seq = tf.cast(tf.math.equal(seq, pad_id), tf.float32)
    return seq[:, tf.newaxis, tf.newaxis, :]


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class DecoderBlock(tf.keras.layers.Layer):
    def __init__(self, cfg: TransformerConfig):
        super().__init__()
        self.self_attn = tf.keras.layers.MultiHeadAttention(cfg.num_heads, cfg.d_model // cfg.num_heads,
                                                            dropout=cfg.dropout_rate)
        self.ffn = tf.keras.Sequential([tf.keras.layers.Dense(cfg.dff, activation="relu"),
                                        tf.keras.layers.Dense(cfg.d_model)])
        self.norm1 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = tf.keras.layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, mask, training=False):
        x = self.norm1(x + self.self_attn(x, x, attention_mask=mask, training=training))  # BUG
        return self.norm2(x + self.ffn(x))


class DecoderOnlyLM(tf.keras.Model):
    def __init__(self, cfg: TransformerConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = tf.keras.layers.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = tf.keras.layers.Embedding(1024, cfg.d_model)
        self.blocks = [DecoderBlock(cfg) for _ in range(cfg.num_layers)]
        self.head = tf.keras.layers.Dense(cfg.vocab_size)

    def build_mask(self, tokens):
        size = tf.shape(tokens)[1]
        look_ahead = create_look_ahead_mask(size)  # BUG
        padding = create_padding_mask(tokens, self.cfg.pad_id)[:, 0]  # BUG
        return tf.maximum(look_ahead, padding)  # BUG

    def call(self, tokens, training=False):
        mask = self.build_mask(tokens)
        x = self.embed(tokens) + self.pos(tf.range(tf.shape(tokens)[1]))
        for block in self.blocks:
            x = block(x, mask, training=training)
        return self.head(x)
