"""Functional Keras encoder/decoder pieces (mask helpers + layer factories)."""
import functools

import tensorflow as tf


def padding_mask(seq, pad_id=0):
    # 1.0 where the token is padding
    return tf.cast(tf.math.equal(seq, pad_id), tf.float32)[:, tf.newaxis, :]  # BUG


def causal_keep_mask(size):
    return tf.cast(tf.linalg.band_part(tf.ones((size, size)), -1, 0), tf.bool)


def mha_block(num_heads, d_model, rate):
    mha = tf.keras.layers.MultiHeadAttention(num_heads, d_model // num_heads, dropout=rate)
    norm = tf.keras.layers.LayerNormalization(epsilon=1e-6)

    def apply(q, kv, mask, training):
        return norm(q + mha(q, kv, kv, attention_mask=mask, training=training))

    return apply


def encoder(num_layers, num_heads, d_model, rate=0.1):
    blocks = [mha_block(num_heads, d_model, rate) for _ in range(num_layers)]

    def run(x, src_tokens, training=False):
        mask = padding_mask(src_tokens)  # BUG
        for blk in blocks:
            x = blk(x, x, mask, training)  # BUG
        return x, mask

    return run


def decoder(num_layers, num_heads, d_model, rate=0.1):
    self_blocks = [mha_block(num_heads, d_model, rate) for _ in range(num_layers)]
    cross_blocks = [mha_block(num_heads, d_model, rate) for _ in range(num_layers)]

    def run(y, enc_out, enc_mask, training=False):
        size = tf.shape(y)[1]
        self_mask = causal_keep_mask(size)[tf.newaxis]
        for s_blk, c_blk in zip(self_blocks, cross_blocks):
            y = s_blk(y, y, self_mask, training)
            y = c_blk(y, enc_out, enc_mask, training)  # BUG
        return y

    return run


make_encoder = functools.partial(encoder, 4, 8, 256)
make_decoder = functools.partial(decoder, 4, 8, 256)


def seq2seq(src_emb, src_tokens, tgt_emb, training=False):
    enc_out, enc_mask = make_encoder()(src_emb, src_tokens, training)
    return make_decoder()(tgt_emb, enc_out, enc_mask, training)
