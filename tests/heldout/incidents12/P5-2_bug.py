import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()

    def call(self, inputs, mask=None):
        padding_mask = ops.cast(mask[:, None, :], dtype="int32") if mask is not None else None
        attention_output = self.attention(inputs, inputs, attention_mask=padding_mask)
        proj_input = self.layernorm_1(inputs + attention_output)
        return self.layernorm_2(proj_input + self.dense_proj(proj_input))


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
        return ops.cast(i >= j, dtype="int32")[None]

    def call(self, inputs, encoder_outputs, dec_mask, enc_mask):
        causal_mask = self.get_causal_attention_mask(inputs)
        padding_mask = ops.cast(dec_mask[:, :, None], dtype="int32")  # BUG
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=ops.minimum(padding_mask, causal_mask))
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(query=out_1, value=encoder_outputs, key=encoder_outputs)  # BUG
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    embed = layers.Embedding(50, 16)
    encoder = TransformerEncoder(16, 32, 2)
    decoder = TransformerDecoder(16, 32, 2)
    src = np.array([[4, 9, 13, 7, 0, 0], [5, 2, 8, 11, 6, 3]])
    tgt = np.array([[1, 20, 31, 0, 0], [1, 17, 22, 40, 2]])
    enc_mask, dec_mask = src != 0, tgt != 0
    enc_out = encoder(embed(src), mask=ops.convert_to_tensor(enc_mask))
    a = ops.convert_to_numpy(decoder(embed(tgt), enc_out, ops.convert_to_tensor(dec_mask), ops.convert_to_tensor(enc_mask)))
    enc_out2 = ops.convert_to_numpy(enc_out).copy()
    enc_out2[0, 4:] = 5.0
    b = ops.convert_to_numpy(decoder(embed(tgt), ops.convert_to_tensor(enc_out2), ops.convert_to_tensor(dec_mask), ops.convert_to_tensor(enc_mask)))
    print(f"decoder change (real target tokens) when encoder pad states change = {np.abs(a - b)[dec_mask].max():.4f}")
