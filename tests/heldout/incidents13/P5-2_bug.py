import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
from keras import layers, ops


class TransformerDecoder(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.layernorm_3 = layers.LayerNormalization()

    def get_causal_attention_mask(self, inputs):
        seq_len = ops.shape(inputs)[1]
        i = ops.arange(seq_len)[:, None]
        j = ops.arange(seq_len)
        mask = ops.cast(i >= j, dtype="int32")
        return ops.broadcast_to(mask[None], (ops.shape(inputs)[0], seq_len, seq_len))

    def call(self, inputs, encoder_outputs, target_mask, encoder_mask):
        causal_mask = self.get_causal_attention_mask(inputs)
        padding_mask = ops.cast(target_mask[:, :, None], dtype="int32")  # BUG
        padding_mask = ops.minimum(padding_mask, causal_mask)
        cross_mask = padding_mask  # BUG
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=causal_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=cross_mask)
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    rs = np.random.RandomState(0)
    decoder = TransformerDecoder(embed_dim=16, latent_dim=32, num_heads=2)
    tgt = rs.randn(2, 5, 16).astype("float32")
    enc = rs.randn(2, 5, 16).astype("float32")
    target_mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=bool)
    encoder_mask = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], dtype=bool)
    base = ops.convert_to_numpy(decoder(tgt, enc, target_mask, encoder_mask))
    enc2 = enc.copy()
    enc2[1, 2:] = rs.randn(3, 16)
    moved = ops.convert_to_numpy(decoder(tgt, enc2, target_mask, encoder_mask))
    print(f"Spanish token states (sentence 1, real tokens) change when English padding is edited = {np.abs(moved[1, :3] - base[1, :3]).max():.4f}")
