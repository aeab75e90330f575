"""Keras 3 functional-API headline summarizer (fixed-length article and headline windows)."""
import numpy as np
import keras
from keras import layers, ops


def build_summarizer(src_len=24, tgt_len=12, vocab=800, d=32, heads=4):
    article = keras.Input(shape=(src_len,), dtype="int32", name="article")
    headline = keras.Input(shape=(tgt_len,), dtype="int32", name="headline_in")
    src_pad = ops.equal(article, 0)

    x = layers.Embedding(vocab, d)(article)
    enc_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
    x = layers.LayerNormalization()(x + enc_attn(x, x, attention_mask=ops.logical_not(src_pad)[:, None, :]))
    x = layers.LayerNormalization()(x + layers.Dense(d)(layers.Dense(2 * d, activation="relu")(x)))

    y = layers.Embedding(vocab, d)(headline)
    future = ops.triu(ops.ones((tgt_len, tgt_len), dtype="bool"), 1)
    self_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
    y = layers.LayerNormalization()(y + self_attn(y, y, attention_mask=future[None, :, :]))  # BUG: triu(ones, 1) marks the future; Keras MHA attends where the mask is True
    cross_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)
    y = layers.LayerNormalization()(y + cross_attn(y, x, attention_mask=src_pad[:, None, :]))  # BUG: article padding (ids == 0) passed as the cross-attention mask; Keras attends True
    logits = layers.Dense(vocab)(y)
    return keras.Model([article, headline], logits)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    article = rng.integers(1, 800, size=(2, 24))
    article[1, 15:] = 0
    headline = rng.integers(1, 800, size=(2, 13))
    model = build_summarizer()
    logits = model([article, headline[:, :-1]])
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(headline[:, 1:], logits)
    print("loss", round(float(ops.convert_to_numpy(loss)), 5))
