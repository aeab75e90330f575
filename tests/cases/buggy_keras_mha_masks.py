"""The TensorFlow transformer tutorial's masks reused with tf.keras.layers.MultiHeadAttention.

The tutorial's masks are 1 where attention is *forbidden* (they were added as mask * -1e9);
Keras MultiHeadAttention's attention_mask is 1 where attention is *allowed* (P1-9, P1-11):
the decoder then attends only to the future and the padding.
"""
import tensorflow as tf


def create_padding_mask(seq):
    seq = tf.cast(tf.math.equal(seq, 0), tf.float32)
    return seq[:, tf.newaxis, :]  # (batch, 1, seq_len), 1 = padding


def create_look_ahead_mask(size):
    mask = 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)
    return mask  # (seq_len, seq_len), 1 = future position


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
        look_ahead_mask = create_look_ahead_mask(tf.shape(x)[1])
        attn1 = self.mha1(x, x, x, attention_mask=look_ahead_mask, training=training)  # expect: ML102
        out1 = self.norm1(attn1 + x)
        enc_padding_mask = create_padding_mask(inp_tokens)
        attn2 = self.mha2(out1, enc_output, enc_output, attention_mask=enc_padding_mask, training=training)  # expect: ML102
        out2 = self.norm2(attn2 + out1)
        return self.norm3(out2 + self.ffn(out2))
