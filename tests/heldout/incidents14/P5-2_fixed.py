import numpy as np
import keras
from keras import layers, ops


class TransformerDecoder(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim = embed_dim
        self.latent_dim = latent_dim
        self.num_heads = num_heads
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential(
            [layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.layernorm_3 = layers.LayerNormalization()
        self.supports_masking = True

    def call(self, inputs, encoder_outputs, mask=None, encoder_mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        if mask is not None:
            padding_mask = ops.cast(mask[:, None, :], dtype="int32")
            padding_mask = ops.minimum(padding_mask, causal_mask)
        cross_mask = ops.cast(encoder_mask[:, None, :], dtype="int32")  # BUG

        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=causal_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)

        attention_output_2, self.cross_scores = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=cross_mask,
            return_attention_scores=True,
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)

        proj_output = self.dense_proj(out_2)
        return self.layernorm_3(out_2 + proj_output)

    def get_causal_attention_mask(self, inputs):
        input_shape = ops.shape(inputs)
        batch_size, sequence_length = input_shape[0], input_shape[1]
        i = ops.arange(sequence_length)[:, None]
        j = ops.arange(sequence_length)
        mask = ops.cast(i >= j, dtype="int32")
        mask = ops.reshape(mask, (1, input_shape[1], input_shape[1]))
        return ops.tile(mask, (batch_size, 1, 1))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    sequence_length, embed_dim = 6, 8
    decoder = TransformerDecoder(embed_dim=embed_dim, latent_dim=16, num_heads=2)
    spa_tokens = np.array([[2, 7, 9, 4, 3, 0]])
    eng_tokens = np.array([[5, 6, 0, 0, 0, 0]])
    dec_inputs = keras.random.normal((1, sequence_length, embed_dim), seed=1)
    enc_outputs = keras.random.normal((1, sequence_length, embed_dim), seed=2)
    decoder(dec_inputs, enc_outputs, mask=spa_tokens != 0, encoder_mask=eng_tokens != 0)
    scores = ops.convert_to_numpy(decoder.cross_scores)
    print(f"cross-attention weight on padded English positions: {scores[0, :, :5, 2:].sum(-1).max():.3f}")
