"""Keras MultiHeadAttention with masks in its own convention: 1 (True) = may attend."""
import tensorflow as tf


def create_keep_padding_mask(seq):
    keep = tf.cast(tf.math.not_equal(seq, 0), tf.float32)
    return keep[:, tf.newaxis, :]  # (batch, 1, seq_len), 1 = real token


def create_causal_keep_mask(size):
    return tf.linalg.band_part(tf.ones((size, size)), -1, 0)  # lower triangle = visible


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha1 = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.mha2 = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = tf.keras.Sequential([tf.keras.layers.Dense(dff, activation="relu"), tf.keras.layers.Dense(d_model)])
        self.norm1 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.norm3 = tf.keras.layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, enc_output, inp_tokens, training=False):
        causal = create_causal_keep_mask(tf.shape(x)[1])
        attn1 = self.mha1(x, x, x, attention_mask=causal, training=training)
        out1 = self.norm1(attn1 + x)
        enc_keep = create_keep_padding_mask(inp_tokens)
        attn2 = self.mha2(out1, enc_output, enc_output, attention_mask=enc_keep, training=training)
        out2 = self.norm2(attn2 + out1)
        return self.norm3(out2 + self.ffn(out2))


class CausalSelfAttention(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.norm = tf.keras.layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.mha(query=x, value=x, key=x, use_causal_mask=True))
