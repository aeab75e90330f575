import numpy as np
import keras
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
        self.supports_masking = True

    def call(self, inputs, encoder_outputs, mask=None, encoder_mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        padding_mask = ops.cast(mask[:, None, :], dtype="int32")
        padding_mask = ops.minimum(padding_mask, causal_mask)
        inputs_padding_mask = ops.cast(encoder_mask[:, None, :], dtype="int32")

        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=padding_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs,
            attention_mask=inputs_padding_mask,  # BUG
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))

    def get_causal_attention_mask(self, inputs):
        sequence_length = ops.shape(inputs)[1]
        i = ops.arange(sequence_length)[:, None]
        j = ops.arange(sequence_length)
        return ops.cast(i >= j, dtype="int32")[None, :, :]


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    rng = np.random.RandomState(0)
    decoder = TransformerDecoder(embed_dim=16, latent_dim=32, num_heads=2)
    encoder_outputs = rng.randn(2, 6, 16).astype("float32")
    encoder_mask = np.array([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]])
    target = rng.randn(2, 6, 16).astype("float32")
    target_mask = np.ones((2, 6), dtype="int32")
    out = ops.convert_to_numpy(decoder(target, encoder_outputs, mask=target_mask, encoder_mask=encoder_mask))
    changed = encoder_outputs.copy()
    changed[0, 3:] = rng.randn(3, 16)
    out2 = ops.convert_to_numpy(decoder(target, changed, mask=target_mask, encoder_mask=encoder_mask))
    print(f"decoder output change when encoder padding changes: {np.abs(out[0] - out2[0]).max():.4f}")
