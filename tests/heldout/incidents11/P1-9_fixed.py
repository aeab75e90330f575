import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


def create_look_ahead_mask(size):
    mask = ops.tril(ops.ones((size, size)))
    return mask


def point_wise_feed_forward_network(d_model, dff):
    return keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])


def positional_encoding(length, depth):
    positions = np.arange(length)[:, np.newaxis]
    depths = np.arange(depth)[np.newaxis, :] / depth
    angle_rads = positions / (10000 ** depths)
    enc = np.where(np.arange(depth)[np.newaxis, :] % 2 == 0, np.sin(angle_rads), np.cos(angle_rads))
    return enc.astype("float32")


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = point_wise_feed_forward_network(d_model, dff)
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, x, training, look_ahead_mask):
        attn1, attn_weights_block1 = self.mha1(
            query=x, value=x, key=x, attention_mask=look_ahead_mask, return_attention_scores=True, training=training
        )
        attn1 = self.dropout1(attn1, training=training)
        out1 = self.layernorm1(attn1 + x)
        ffn_output = self.dropout2(self.ffn(out1), training=training)
        return self.layernorm2(ffn_output + out1), attn_weights_block1


class Decoder(layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, target_vocab_size, maximum_position_encoding, rate=0.1):
        super().__init__()
        self.d_model = d_model
        self.embedding = layers.Embedding(target_vocab_size, d_model)
        self.pos_encoding = positional_encoding(maximum_position_encoding, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]
        self.dropout = layers.Dropout(rate)
        self.final_layer = layers.Dense(target_vocab_size)

    def call(self, x, training, look_ahead_mask):
        seq_len = ops.shape(x)[1]
        x = self.embedding(x) * ops.sqrt(ops.cast(self.d_model, "float32"))
        x = x + ops.convert_to_tensor(self.pos_encoding[np.newaxis, :seq_len, :])
        x = self.dropout(x, training=training)
        for layer in self.dec_layers:
            x, _ = layer(x, training=training, look_ahead_mask=look_ahead_mask)
        return self.final_layer(x)


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    decoder = Decoder(num_layers=2, d_model=16, num_heads=2, dff=32, target_vocab_size=40, maximum_position_encoding=20)
    tar = np.random.RandomState(0).randint(1, 40, size=(2, 7))
    look_ahead_mask = create_look_ahead_mask(tar.shape[1])
    tar2 = tar.copy()
    tar2[:, -1] = (tar2[:, -1] % 39) + 1
    a = decoder(tar, training=False, look_ahead_mask=look_ahead_mask)
    b = decoder(tar2, training=False, look_ahead_mask=look_ahead_mask)
    diff = float(ops.max(ops.abs(a[:, :-1] - b[:, :-1])))
    print(f"prefix change when last token changes: {diff:.3e}")
