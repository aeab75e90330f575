import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


def create_padding_mask(seq):
    seq = ops.cast(ops.not_equal(seq, 0), "float32")
    return seq[:, None, :]


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout = layers.Dropout(rate)

    def call(self, x, mask, training=False):
        attn_output = self.mha(x, x, x, attention_mask=mask, training=training)
        out1 = self.layernorm1(x + self.dropout(attn_output, training=training))
        return self.layernorm2(out1 + self.dropout(self.ffn(out1), training=training))


class Encoder(layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, vocab_size, maxlen=64):
        super().__init__()
        self.d_model = d_model
        self.embedding = layers.Embedding(vocab_size, d_model)
        self.pos_encoding = layers.Embedding(maxlen, d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]

    def call(self, x, training=False):
        mask = create_padding_mask(x)
        seq_len = ops.shape(x)[1]
        x = self.embedding(x) * (self.d_model ** 0.5) + self.pos_encoding(ops.arange(seq_len))
        for layer in self.enc_layers:
            x = layer(x, mask, training=training)
        return x


class SentimentClassifier(keras.Model):
    def __init__(self, vocab_size=60):
        super().__init__()
        self.encoder = Encoder(2, 32, 4, 64, vocab_size)
        self.head = layers.Dense(2)

    def call(self, tokens, training=False):
        return self.head(self.encoder(tokens, training=training)[:, 0])


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    model = SentimentClassifier()
    tokens = np.array([[3, 14, 15, 9, 26, 5, 0, 0, 0], [2, 7, 18, 28, 0, 0, 0, 0, 0]])
    out = ops.convert_to_numpy(model(tokens))
    print(f"pad tokens: {int((tokens == 0).sum())}; ", end="")
    model.encoder.embedding.embeddings.assign(ops.concatenate([ops.ones((1, 32)) * 3.0, model.encoder.embedding.embeddings[1:]], 0))
    out2 = ops.convert_to_numpy(model(tokens))
    print(f"logit change when the pad embedding changes = {np.abs(out - out2).max():.4f}")
