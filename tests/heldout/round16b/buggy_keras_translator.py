import os

os.environ.setdefault("KERAS_BACKEND", "torch")

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


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1, self.layernorm_2 = layers.LayerNormalization(), layers.LayerNormalization()

    def call(self, inputs, source_tokens):
        padding_mask = ops.not_equal(source_tokens, 0)[:, None, :]
        attn = self.attention(query=inputs, value=inputs, key=inputs, attention_mask=padding_mask)
        proj_input = self.layernorm_1(inputs + attn)
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

    def call(self, inputs, encoder_outputs, target_tokens):
        seq_len = ops.shape(inputs)[1]
        i = ops.arange(seq_len)[:, None]
        j = ops.arange(seq_len)
        causal_mask = ops.cast(i >= j, "int32")[None]
        padding_mask = ops.cast(ops.not_equal(target_tokens, 0)[:, None, :], "int32")
        self_mask = ops.minimum(padding_mask, causal_mask)
        a1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=self_mask)
        out_1 = self.layernorm_1(inputs + a1)
        a2 = self.attention_2(query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)  # expect: ML503
        out_2 = self.layernorm_2(out_1 + a2)
        return self.layernorm_3(out_2 + self.dense_proj(out_2))


class Translator(keras.Model):
    def __init__(self, sequence_length=20, vocab_size=1500, embed_dim=32, latent_dim=64, num_heads=2, **kwargs):
        super().__init__(**kwargs)
        self.src_embed = PositionalEmbedding(sequence_length, vocab_size, embed_dim)
        self.tgt_embed = PositionalEmbedding(sequence_length, vocab_size, embed_dim)
        self.encoder = TransformerEncoder(embed_dim, latent_dim, num_heads)
        self.decoder = TransformerDecoder(embed_dim, latent_dim, num_heads)
        self.dropout = layers.Dropout(0.5)
        self.out = layers.Dense(vocab_size, activation="softmax")

    def call(self, inputs, training=False):
        src, tgt = inputs
        enc = self.encoder(self.src_embed(src), src)
        dec = self.decoder(self.tgt_embed(tgt), enc, tgt)
        return self.out(self.dropout(dec, training=training))


if __name__ == "__main__":
    import numpy as np

    model = Translator()
    src = np.random.randint(1, 1500, (4, 20))
    src[:, 12:] = 0
    tgt = np.random.randint(1, 1500, (4, 20))
    tgt[:, 15:] = 0
    print(model((src, tgt)).shape)
