"""keras-io English-to-Spanish translation example (Keras 3,
KERAS_BACKEND=torch): the decoder's cross-attention is masked with the
*target* padding mask instead of the encoder (source) mask."""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import keras
from keras import layers, ops


class TransformerDecoder(layers.Layer):
    def __init__(self, embed_dim=16, latent_dim=32, num_heads=2, **kwargs):
        super().__init__(**kwargs)
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.layernorm_3 = layers.LayerNormalization()

    def get_causal_attention_mask(self, inputs):
        n = ops.shape(inputs)[1]
        i = ops.arange(n)[:, None]
        j = ops.arange(n)
        return ops.cast(i >= j, "int32")[None]

    def call(self, inputs, encoder_outputs, mask=None, encoder_mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        padding_mask = ops.cast(encoder_mask[:, None, :], dtype="int32")
        target_padding_mask = ops.minimum(ops.cast(mask[:, None, :], dtype="int32"), causal_mask)
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=target_padding_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(query=out_1, value=encoder_outputs, key=encoder_outputs,
                                              attention_mask=padding_mask)
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    dec = TransformerDecoder()
    # source and target share sequence_length, as in the example
    tgt = np.random.randn(2, 6, 16).astype("float32")
    tgt_mask = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]], dtype=bool)
    enc = np.random.randn(2, 6, 16).astype("float32")
    enc_mask = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]], dtype=bool)
    enc2 = enc.copy(); enc2[1, 3:] = np.random.randn(3, 16) * 10
    a = ops.convert_to_numpy(dec(tgt, enc, mask=tgt_mask, encoder_mask=enc_mask))
    b = ops.convert_to_numpy(dec(tgt, enc2, mask=tgt_mask, encoder_mask=enc_mask))
    print("decoder change from source padding content:", float(np.abs(a[1] - b[1]).max()))
