"""English-to-Spanish sequence-to-sequence Transformer (Keras 3)."""
import keras
from keras import layers, ops


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(vocab_size, embed_dim)
        self.position_embeddings = layers.Embedding(sequence_length, embed_dim)

    def call(self, inputs):
        positions = ops.arange(0, ops.shape(inputs)[-1])
        return self.token_embeddings(inputs) + self.position_embeddings(positions)

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)


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

    def get_causal_attention_mask(self, inputs):
        batch_size, sequence_length = ops.shape(inputs)[0], ops.shape(inputs)[1]
        i = ops.arange(sequence_length)[:, None]
        j = ops.arange(sequence_length)
        mask = ops.cast(i >= j, dtype="int32")[None, :, :]
        return ops.tile(mask, [batch_size, 1, 1])

    def call(self, inputs, encoder_outputs, encoder_mask=None, mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        self_mask = causal_mask
        if mask is not None:
            self_mask = ops.minimum(ops.cast(mask[:, None, :], dtype="int32"), causal_mask)
        cross_mask = None if encoder_mask is None else ops.cast(encoder_mask[:, None, :], dtype="int32")
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=self_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs,
            attention_mask=cross_mask,
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


def build_decoder_model(sequence_length, vocab_size, embed_dim=256, latent_dim=2048, num_heads=8):
    decoder_inputs = keras.Input(shape=(None,), dtype="int64", name="decoder_inputs")
    encoded_seq_inputs = keras.Input(shape=(None, embed_dim), name="decoder_state_inputs")
    encoder_token_inputs = keras.Input(shape=(None,), dtype="int64", name="encoder_token_inputs")
    encoder_mask = ops.not_equal(encoder_token_inputs, 0)
    x = PositionalEmbedding(sequence_length, vocab_size, embed_dim)(decoder_inputs)
    decoder_mask = ops.not_equal(decoder_inputs, 0)
    x = TransformerDecoder(embed_dim, latent_dim, num_heads)(
        x, encoded_seq_inputs, encoder_mask=encoder_mask, mask=decoder_mask
    )
    decoder_outputs = layers.Dense(vocab_size, activation="softmax")(layers.Dropout(0.5)(x))
    return keras.Model([decoder_inputs, encoded_seq_inputs, encoder_token_inputs], decoder_outputs)
