"""Transformer chatbot decoder, masks ported from the TF2 "Transformer model" tutorial
to tf.keras.layers.MultiHeadAttention."""
import tensorflow as tf


def create_padding_mask(seq):
    # 1 where the token is padding
    return tf.cast(tf.math.equal(seq, 0), tf.float32)[:, tf.newaxis, :]


def create_look_ahead_mask(size):
    # 1 where the position is in the future
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha1 = tf.keras.layers.MultiHeadAttention(num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.mha2 = tf.keras.layers.MultiHeadAttention(num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = tf.keras.Sequential([tf.keras.layers.Dense(dff, activation="relu"), tf.keras.layers.Dense(d_model)])
        self.ln1 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.ln2 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.ln3 = tf.keras.layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, target_ids, enc_output, context_keep, training=False):
        seq_len = tf.shape(x)[1]
        look_ahead = create_look_ahead_mask(seq_len)
        dec_target_padding = create_padding_mask(target_ids)
        combined = tf.maximum(dec_target_padding, look_ahead)      # (B, T, T)
        a1 = self.mha1(
            query=x, value=x, key=x,
            attention_mask=combined,  # expect: ML102
            training=training,
        )
        out1 = self.ln1(x + a1)
        a2 = self.mha2(query=out1, value=enc_output, key=enc_output,
                       attention_mask=context_keep[:, tf.newaxis, :], training=training)
        out2 = self.ln2(out1 + a2)
        return self.ln3(out2 + self.ffn(out2, training=training))


class ChatDecoder(tf.keras.Model):
    def __init__(self, vocab_size=8000, d_model=256, num_heads=8, dff=1024, num_layers=2):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]
        self.final = tf.keras.layers.Dense(vocab_size)

    def call(self, inputs, training=False):
        context, context_ids, target_ids = inputs
        context_keep = tf.math.not_equal(context_ids, 0)
        x = self.embedding(target_ids)
        for layer in self.dec_layers:
            x = layer(x, target_ids, context, context_keep, training=training)
        return self.final(x)
