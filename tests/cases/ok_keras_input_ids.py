"""Near-misses: the padding of an integer `keras.Input` turned into a keep mask before Keras
attention; a float input compared with 0 is not token ids."""
import keras
import tensorflow as tf
from keras import layers, ops


def build_classifier(seq_len=64, vocab=5000, d=64, heads=4):
    review = keras.Input(shape=(seq_len,), dtype="int32", name="review")
    keep = ops.not_equal(review, 0)
    x = layers.Embedding(vocab, d)(review)
    attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
    x = x + attn(x, x, attention_mask=keep[:, None, :])
    return keras.Model(review, layers.Dense(2)(layers.GlobalAveragePooling1D()(x)))


def build_tagger(vocab=900, d=32):
    words = tf.keras.Input(shape=(None,), dtype=tf.int32)
    is_pad = tf.math.equal(words, 0)
    x = tf.keras.layers.Embedding(vocab, d)(words)
    x = x + tf.keras.layers.MultiHeadAttention(4, d // 4)(x, x, attention_mask=~is_pad[:, tf.newaxis, :])
    return tf.keras.Model(words, tf.keras.layers.Dense(9)(x))
