"""Transformer translation model built on tf.keras MultiHeadAttention (encoder, decoder, greedy decode)."""
import tensorflow as tf


def create_padding_mask(seq):
    seq = tf.cast(tf.math.equal(seq, 0), tf.float32)
    return seq[:, tf.newaxis, :]


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha1 = tf.keras.layers.MultiHeadAttention(num_heads, key_dim=d_model // num_heads)
        self.mha2 = tf.keras.layers.MultiHeadAttention(num_heads, key_dim=d_model // num_heads)
        self.ffn = tf.keras.Sequential([tf.keras.layers.Dense(dff, activation="relu"), tf.keras.layers.Dense(d_model)])
        self.ln = [tf.keras.layers.LayerNormalization(epsilon=1e-6) for _ in range(3)]

    def call(self, x, enc_output, look_ahead_mask, padding_mask, training=False):
        a1 = self.mha1(x, x, x, attention_mask=look_ahead_mask, training=training)  # BUG
        x = self.ln[0](x + a1)
        a2 = self.mha2(x, enc_output, enc_output, attention_mask=padding_mask, training=training)
        x = self.ln[1](x + a2)
        return self.ln[2](x + self.ffn(x))


class Translator(tf.keras.Model):
    def __init__(self, vocab, d_model=128, num_heads=4, dff=512, n_layers=2):
        super().__init__()
        self.src_emb = tf.keras.layers.Embedding(vocab, d_model)
        self.tgt_emb = tf.keras.layers.Embedding(vocab, d_model)
        self.enc = [tf.keras.layers.MultiHeadAttention(num_heads, key_dim=d_model // num_heads) for _ in range(n_layers)]
        self.dec = [DecoderLayer(d_model, num_heads, dff) for _ in range(n_layers)]
        self.final = tf.keras.layers.Dense(vocab)

    def call(self, inputs, training=False):
        src, tgt = inputs
        enc_keep = tf.math.not_equal(src, 0)[:, tf.newaxis, :]
        h = self.src_emb(src)
        for mha in self.enc:
            h = h + mha(h, h, h, attention_mask=enc_keep, training=training)
        size = tf.shape(tgt)[1]
        look_ahead = create_look_ahead_mask(size)  # BUG
        look_ahead = tf.maximum(look_ahead[tf.newaxis], create_padding_mask(tgt))  # BUG
        y = self.tgt_emb(tgt)
        for layer in self.dec:
            y = layer(y, h, look_ahead, enc_keep, training=training)
        return self.final(y)

    def greedy_decode(self, src, start_id, end_id, max_len=40):
        out = tf.fill([tf.shape(src)[0], 1], start_id)
        for step in range(max_len):
            logits = self((src, out), training=False)
            nxt = tf.cast(tf.argmax(logits[:, -1:, :], axis=-1), out.dtype)
            out = tf.concat([out, nxt], axis=1)
            if tf.reduce_all(nxt == end_id):
                break
        return out
