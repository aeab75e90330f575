import os

os.environ["KERAS_BACKEND"] = "torch"

import numpy as np
import keras
from keras import layers, ops


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)

    def call(self, inputs):
        positions = ops.arange(0, ops.shape(inputs)[-1])
        return self.token_embeddings(inputs) + self.position_embeddings(positions)


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()

    def call(self, inputs, padding_mask=None):
        attention_mask = None
        if padding_mask is not None:
            attention_mask = ops.cast(padding_mask[:, None, :], dtype="int32")
        attention_output = self.attention(query=inputs, value=inputs, key=inputs, attention_mask=attention_mask)
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
        batch_size, sequence_length = ops.shape(inputs)[0], ops.shape(inputs)[1]
        i = ops.arange(sequence_length)[:, None]
        j = ops.arange(sequence_length)
        mask = ops.cast(i >= j, dtype="int32")
        return ops.broadcast_to(mask[None], (batch_size, sequence_length, sequence_length))

    def call(self, inputs, encoder_outputs, decoder_padding_mask=None, encoder_padding_mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        padding_mask = causal_mask
        if decoder_padding_mask is not None:
            padding_mask = ops.cast(decoder_padding_mask[:, None, :], dtype="int32")
            padding_mask = ops.minimum(padding_mask, causal_mask)
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=padding_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        cross_mask = ops.cast(encoder_padding_mask[:, None, :], dtype="int32")
        attention_output_2 = self.attention_2(query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=cross_mask)
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    sequence_length, vocab_size, embed_dim = 7, 40, 16
    enc_emb = PositionalEmbedding(sequence_length, vocab_size, embed_dim)
    dec_emb = PositionalEmbedding(sequence_length, vocab_size, embed_dim)
    encoder = TransformerEncoder(embed_dim, 32, num_heads=2)
    decoder = TransformerDecoder(embed_dim, 32, num_heads=2)
    src = np.array([[5, 12, 7, 0, 0, 0, 0], [3, 9, 14, 22, 8, 6, 2]])
    tgt = np.array([[1, 4, 9, 11, 13, 2, 0], [1, 6, 3, 0, 0, 0, 0]])

    enc_mask = ops.not_equal(src, 0)
    dec_mask = ops.not_equal(tgt, 0)
    enc_out = encoder(enc_emb(src), padding_mask=enc_mask)
    noise = np.zeros(tuple(enc_out.shape), dtype="float32")
    noise[0, 3:] = 5.0
    enc_out_noisy = enc_out + ops.convert_to_tensor(noise)
    a = decoder(dec_emb(tgt), enc_out, decoder_padding_mask=dec_mask, encoder_padding_mask=enc_mask)
    b = decoder(dec_emb(tgt), enc_out_noisy, decoder_padding_mask=dec_mask, encoder_padding_mask=enc_mask)
    diff = float(ops.max(ops.abs(a[0, :6] - b[0, :6])))
    print(f"decoder output change when padded encoder positions change: {diff:.3e}")
