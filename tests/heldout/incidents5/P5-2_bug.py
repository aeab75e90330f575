"""English-to-Spanish translation with a Keras functional Transformer."""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.norm1, self.norm2 = layers.LayerNormalization(), layers.LayerNormalization()
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            padding_mask = tf.cast(mask[:, tf.newaxis, :], dtype="int32")
        else:
            padding_mask = None
        attn = self.attention(inputs, inputs, attention_mask=padding_mask)
        h = self.norm1(inputs + attn)
        return self.norm2(h + self.dense_proj(h))


class TransformerDecoder(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)])
        self.norms = [layers.LayerNormalization() for _ in range(3)]
        self.supports_masking = True

    def get_causal_attention_mask(self, inputs):
        n = tf.shape(inputs)[1]
        i = tf.range(n)[:, tf.newaxis]
        j = tf.range(n)
        mask = tf.cast(i >= j, dtype="int32")
        return tf.tile(mask[tf.newaxis], [tf.shape(inputs)[0], 1, 1])

    def call(self, inputs, encoder_outputs, mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        if mask is not None:
            padding_mask = tf.cast(mask[:, :, tf.newaxis], dtype="int32")  # BUG
            padding_mask = tf.minimum(padding_mask, causal_mask)  # BUG
        a1 = self.attention_1(inputs, inputs, attention_mask=causal_mask)
        out1 = self.norms[0](inputs + a1)
        a2 = self.attention_2(out1, encoder_outputs, encoder_outputs, attention_mask=padding_mask)  # BUG
        out2 = self.norms[1](out1 + a2)
        return self.norms[2](out2 + self.dense_proj(out2))


def build_model(vocab_size=15000, seq_len=20, embed_dim=256, latent_dim=2048, num_heads=8):
    encoder_inputs = keras.Input(shape=(None,), dtype="int64", name="encoder_inputs")
    x = layers.Embedding(vocab_size, embed_dim, mask_zero=True)(encoder_inputs)
    encoder_outputs = TransformerEncoder(embed_dim, latent_dim, num_heads)(x)
    decoder_inputs = keras.Input(shape=(None,), dtype="int64", name="decoder_inputs")
    y = layers.Embedding(vocab_size, embed_dim, mask_zero=True)(decoder_inputs)
    y = TransformerDecoder(embed_dim, latent_dim, num_heads)(y, encoder_outputs)  # BUG
    y = layers.Dropout(0.5)(y)
    decoder_outputs = layers.Dense(vocab_size, activation="softmax")(y)
    return keras.Model([encoder_inputs, decoder_inputs], decoder_outputs, name="transformer")
