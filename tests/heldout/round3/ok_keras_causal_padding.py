"""Keras decoder layer for an image-captioning / translation model using
tf.keras.layers.MultiHeadAttention's own mask conventions (True = attend)."""
import tensorflow as tf


class CausalSelfAttention(tf.keras.layers.Layer):
    def __init__(self, num_heads, key_dim, dropout=0.1):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim, dropout=dropout)
        self.add = tf.keras.layers.Add()
        self.norm = tf.keras.layers.LayerNormalization()

    def call(self, x, training=False):
        attn = self.mha(query=x, value=x, key=x, use_causal_mask=True, training=training)
        return self.norm(self.add([x, attn]))


class CrossAttention(tf.keras.layers.Layer):
    def __init__(self, num_heads, key_dim, dropout=0.1):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim, dropout=dropout)
        self.add = tf.keras.layers.Add()
        self.norm = tf.keras.layers.LayerNormalization()

    def call(self, x, context, context_tokens, training=False):
        # (batch, 1, src_len): True for real source tokens, broadcast over target positions
        context_mask = tf.math.not_equal(context_tokens, 0)[:, tf.newaxis, :]
        attn = self.mha(query=x, value=context, key=context, attention_mask=context_mask, training=training)
        return self.norm(self.add([x, attn]))


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, dropout=0.1):
        super().__init__()
        self.self_attn = CausalSelfAttention(num_heads, d_model // num_heads, dropout)
        self.cross_attn = CrossAttention(num_heads, d_model // num_heads, dropout)
        self.ffn = tf.keras.Sequential([
            tf.keras.layers.Dense(dff, activation="relu"),
            tf.keras.layers.Dense(d_model),
            tf.keras.layers.Dropout(dropout),
        ])
        self.norm = tf.keras.layers.LayerNormalization()

    def call(self, x, context, context_tokens, training=False):
        x = self.self_attn(x, training=training)
        x = self.cross_attn(x, context, context_tokens, training=training)
        return self.norm(x + self.ffn(x, training=training))
