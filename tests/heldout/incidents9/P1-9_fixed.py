import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
from keras import layers, ops


def create_look_ahead_mask(size):
    # 1 marks a future position that the current token must not see
    mask = 1 - ops.tril(ops.ones((size, size)))
    return mask  # (seq_len, seq_len)


def point_wise_feed_forward_network(d_model, dff):
    return keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])


class DecoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        # switched from the tutorial's hand-written MultiHeadAttention to the Keras layer
        self.mha1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = point_wise_feed_forward_network(d_model, dff)
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, x, look_ahead_mask, training=False):
        # keras.layers.MultiHeadAttention expects 1 = attend, so invert the look-ahead mask
        attn1 = self.mha1(x, x, x, attention_mask=1 - look_ahead_mask, training=training)
        out1 = self.layernorm1(x + self.dropout1(attn1, training=training))
        ffn_output = self.ffn(out1)
        return self.layernorm2(out1 + self.dropout2(ffn_output, training=training))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    seq_len, d_model = 6, 16
    layer = DecoderLayer(d_model=d_model, num_heads=4, dff=32)
    x = np.random.randn(2, seq_len, d_model).astype("float32")
    mask = create_look_ahead_mask(seq_len)
    out = ops.convert_to_numpy(layer(x, mask))
    x2 = x.copy()
    x2[:, -1] = np.random.randn(2, d_model)
    out2 = ops.convert_to_numpy(layer(x2, mask))
    print(out.shape)
    print("change at earlier positions:", float(np.abs(out2 - out)[:, :-1].max()))
