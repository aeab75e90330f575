"""Keras functional models whose padding is `ops.equal(ids, 0)` on an integer `keras.Input`:
True at the padding, and Keras attention attends where the mask is True (round18b's summarizer)."""
import keras
import tensorflow as tf
from keras import layers, ops


def build_classifier(seq_len=64, vocab=5000, d=64, heads=4):
    review = keras.Input(shape=(seq_len,), dtype="int32", name="review")
    pad = ops.equal(review, 0)
    x = layers.Embedding(vocab, d)(review)
    attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
    x = x + attn(x, x, attention_mask=pad[:, None, :])  # expect: ML102
    return keras.Model(review, layers.Dense(2)(layers.GlobalAveragePooling1D()(x)))


def build_tagger(vocab=900, d=32):
    words = tf.keras.Input(shape=(None,), dtype=tf.int32)
    is_pad = tf.math.equal(words, 0)
    x = tf.keras.layers.Embedding(vocab, d)(words)
    x = x + tf.keras.layers.MultiHeadAttention(4, d // 4)(x, x, attention_mask=is_pad[:, tf.newaxis, :])  # expect: ML102
    return tf.keras.Model(words, tf.keras.layers.Dense(9)(x))
