"""Encoder/decoder blocks for the English->Spanish translation model (Keras 3)."""
import keras
from keras import layers, ops


def make_padding_mask(token_ids, pad_id=0):
    """(batch, src_len) -> (batch, 1, src_len) mask for keras.layers.MultiHeadAttention."""
    return ops.expand_dims(ops.not_equal(token_ids, pad_id), axis=1)


class TransformerEncoderBlock(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.norm_1 = layers.LayerNormalization()
        self.norm_2 = layers.LayerNormalization()

    def call(self, inputs, padding_mask=None):
        attn = self.attention(query=inputs, value=inputs, key=inputs, attention_mask=padding_mask)
        proj_input = self.norm_1(inputs + attn)
        return self.norm_2(proj_input + self.dense_proj(proj_input))


class TransformerDecoderBlock(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.cross_attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)])
        self.norm_1 = layers.LayerNormalization()
        self.norm_2 = layers.LayerNormalization()
        self.norm_3 = layers.LayerNormalization()

    def call(self, inputs, encoder_outputs, encoder_padding_mask=None):
        a1 = self.self_attention(query=inputs, value=inputs, key=inputs, use_causal_mask=True)
        out_1 = self.norm_1(inputs + a1)
        a2 = self.cross_attention(
            query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=encoder_padding_mask
        )
        out_2 = self.norm_2(out_1 + a2)
        return self.norm_3(out_2 + self.dense_proj(out_2))


class Translator(keras.Model):
    def __init__(self, vocab_size, embed_dim=64, latent_dim=128, num_heads=4, **kwargs):
        super().__init__(**kwargs)
        self.src_embed = layers.Embedding(vocab_size, embed_dim)
        self.tgt_embed = layers.Embedding(vocab_size, embed_dim)
        self.encoder = TransformerEncoderBlock(embed_dim, latent_dim, num_heads)
        self.decoder = TransformerDecoderBlock(embed_dim, latent_dim, num_heads)
        self.out = layers.Dense(vocab_size)

    def call(self, inputs):
        source, target = inputs["encoder_inputs"], inputs["decoder_inputs"]
        src_mask = make_padding_mask(source)
        memory = self.encoder(self.src_embed(source), padding_mask=src_mask)
        return self.out(self.decoder(self.tgt_embed(target), memory, encoder_padding_mask=src_mask))
