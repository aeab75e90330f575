import argparse

import numpy as np
import tensorflow as tf


def create_padding_mask(seq):
    seq = tf.cast(tf.math.equal(seq, 0), tf.float32)  # BUG
    return seq[:, tf.newaxis, tf.newaxis, :]


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)  # BUG


class TinyDecoderLM(tf.keras.Model):
    def __init__(self, vocab_size, d_model=64, num_heads=4):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, d_model)
        self.pos = tf.keras.layers.Embedding(512, d_model)
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.norm = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.ffn = tf.keras.Sequential([tf.keras.layers.Dense(4 * d_model, activation="relu"), tf.keras.layers.Dense(d_model)])
        self.head = tf.keras.layers.Dense(vocab_size)

    def call(self, tokens, training=False):
        seq_len = tf.shape(tokens)[1]
        look_ahead_mask = create_look_ahead_mask(seq_len)
        dec_target_padding_mask = create_padding_mask(tokens)
        combined_mask = tf.maximum(dec_target_padding_mask, look_ahead_mask)  # BUG
        combined_mask = tf.squeeze(combined_mask, axis=1)
        x = self.embedding(tokens) + self.pos(tf.range(seq_len))[tf.newaxis]
        attn = self.mha(x, x, x, attention_mask=combined_mask, training=training)  # BUG
        x = self.norm(x + attn)
        return self.head(x + self.ffn(x))


def loss_function(real, pred):
    mask = tf.cast(tf.math.logical_not(tf.math.equal(real, 0)), pred.dtype)
    loss_ = tf.keras.losses.sparse_categorical_crossentropy(real, pred, from_logits=True)
    return tf.reduce_sum(loss_ * mask) / tf.reduce_sum(mask)


def toy_dataset(n, seq_len, vocab):
    rng = np.random.default_rng(0)
    data = rng.integers(1, vocab, size=(n, seq_len + 1))
    lengths = rng.integers(seq_len // 2, seq_len + 1, size=n)
    for i, length in enumerate(lengths):
        data[i, length + 1:] = 0
    return tf.data.Dataset.from_tensor_slices(data).batch(32)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--vocab", type=int, default=200)
    args = parser.parse_args()

    model = TinyDecoderLM(args.vocab)
    optimizer = tf.keras.optimizers.Adam(1e-3)
    for epoch in range(args.epochs):
        for batch in toy_dataset(512, 32, args.vocab):
            inp, tar = batch[:, :-1], batch[:, 1:]
            with tf.GradientTape() as tape:
                loss = loss_function(tar, model(inp, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
        print(f"epoch {epoch} loss {float(loss):.4f}")
