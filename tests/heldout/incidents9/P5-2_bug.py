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
        return ops.cast(i >= j, "int32")[None, :, :]

    def call(self, inputs, encoder_outputs, mask=None, encoder_mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        if mask is not None:
            padding_mask = ops.cast(mask[:, None, :], dtype="int32")  # BUG
            padding_mask = ops.minimum(padding_mask, causal_mask)  # BUG
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=causal_mask)  # BUG
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask,  # BUG
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    emb = layers.Embedding(50, 16)
    decoder = TransformerDecoder(embed_dim=16, latent_dim=32, num_heads=2)
    src = np.array([[5, 6, 7, 0, 0, 0], [8, 9, 10, 11, 12, 13]])
    tgt = np.array([[1, 4, 4, 2, 0, 0], [1, 3, 9, 9, 2, 0]])
    tgt_mask, src_mask = ops.convert_to_tensor(tgt != 0), ops.convert_to_tensor(src != 0)
    out = ops.convert_to_numpy(decoder(emb(tgt), emb(src), mask=tgt_mask, encoder_mask=src_mask))
    src2 = src.copy()
    src2[0, 3:] = [40, 41, 42]  # new content in the padded source slots, same masks
    out2 = ops.convert_to_numpy(decoder(emb(tgt), emb(src2), mask=tgt_mask, encoder_mask=src_mask))
    print(out.shape)
    print("decoder output change from padded source slots:", float(np.abs(out2 - out)[0, :4].max()))
