"""Transformer decoder block for a Portuguese->English translator, ported
from the classic TF tutorial masks to tf.keras.layers.MultiHeadAttention."""
import tensorflow as tf


def create_padding_mask(seq):
    # 1.0 where the token is padding (id 0)
    seq = tf.cast(tf.math.equal(seq, 0), tf.float32)
    return seq[:, tf.newaxis, :]  # (batch, 1, seq_len)


def create_look_ahead_mask(size):
    # 1.0 above the diagonal: future positions
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.self_attn = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.cross_attn = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = tf.keras.Sequential([
            tf.keras.layers.Dense(dff, activation="relu"),
            tf.keras.layers.Dense(d_model),
        ])
        self.norm1 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.norm3 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.drop = tf.keras.layers.Dropout(rate)

    def call(self, x, enc_output, inp_tokens, training=False):
        seq_len = tf.shape(x)[1]
        look_ahead_mask = create_look_ahead_mask(seq_len)
        enc_padding_mask = create_padding_mask(inp_tokens)

        attn1 = self.self_attn(
            query=x, value=x, key=x,
            attention_mask=look_ahead_mask,  # expect: ML102
            training=training,
        )
        out1 = self.norm1(x + self.drop(attn1, training=training))

        attn2 = self.cross_attn(
            query=out1, value=enc_output, key=enc_output,
            attention_mask=enc_padding_mask,  # expect: ML102
            training=training,
        )
        out2 = self.norm2(out1 + self.drop(attn2, training=training))
        return self.norm3(out2 + self.drop(self.ffn(out2), training=training))


class Decoder(tf.keras.layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, vocab_size, rate=0.1):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, d_model)
        self.pos = tf.keras.layers.Embedding(1024, d_model)
        self.layers_ = [DecoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]
        self.final = tf.keras.layers.Dense(vocab_size)

    def call(self, tar_tokens, enc_output, inp_tokens, training=False):
        positions = tf.range(tf.shape(tar_tokens)[1])
        x = self.embedding(tar_tokens) + self.pos(positions)
        for layer in self.layers_:
            x = layer(x, enc_output, inp_tokens, training=training)
        return self.final(x)
