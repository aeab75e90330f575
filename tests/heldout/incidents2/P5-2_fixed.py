import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


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
        seq_len = tf.shape(inputs)[1]
        i = tf.range(seq_len)[:, tf.newaxis]
        j = tf.range(seq_len)
        mask = tf.cast(i >= j, dtype="int32")
        return tf.tile(mask[tf.newaxis], [tf.shape(inputs)[0], 1, 1])

    def call(self, inputs, encoder_outputs, mask=None, encoder_mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        if mask is not None:
            causal_mask = tf.minimum(tf.cast(mask[:, tf.newaxis, :], dtype="int32"), causal_mask)
        padding_mask = None
        if encoder_mask is not None:
            padding_mask = tf.cast(encoder_mask[:, tf.newaxis, :], dtype="int32")
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=causal_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs,
            attention_mask=padding_mask,
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


def build_decoder(vocab_size=15000, sequence_length=20, embed_dim=256, latent_dim=2048, num_heads=8):
    decoder_inputs = keras.Input(shape=(None,), dtype="int64", name="decoder_inputs")
    encoded_seq_inputs = keras.Input(shape=(None, embed_dim), name="decoder_state_inputs")
    encoder_inputs = keras.Input(shape=(None,), dtype="int64", name="encoder_inputs")
    encoder_mask = tf.math.not_equal(encoder_inputs, 0)
    x = layers.Embedding(vocab_size, embed_dim, mask_zero=True)(decoder_inputs)
    x = TransformerDecoder(embed_dim, latent_dim, num_heads)(x, encoded_seq_inputs, encoder_mask=encoder_mask)
    decoder_outputs = layers.Dense(vocab_size, activation="softmax")(layers.Dropout(0.5)(x))
    return keras.Model([decoder_inputs, encoded_seq_inputs, encoder_inputs], decoder_outputs)


if __name__ == "__main__":
    build_decoder().summary()
