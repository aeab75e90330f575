"""English->Spanish translation with keras.layers.MultiHeadAttention (keras-io style)."""
import keras
from keras import layers, ops


class TransformerEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.ln1 = layers.LayerNormalization()
        self.ln2 = layers.LayerNormalization()

    def call(self, inputs, src_keep):
        attn = self.attention(query=inputs, value=inputs, key=inputs, attention_mask=src_keep[:, None, :])
        x = self.ln1(inputs + attn)
        return self.ln2(x + self.dense_proj(x))


class TransformerDecoder(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)])
        self.ln1 = layers.LayerNormalization()
        self.ln2 = layers.LayerNormalization()
        self.ln3 = layers.LayerNormalization()

    def call(self, inputs, encoder_outputs, self_mask, cross_mask):
        a1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=self_mask)
        out_1 = self.ln1(inputs + a1)
        a2 = self.attention_2(query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=cross_mask)
        out_2 = self.ln2(out_1 + a2)
        return self.ln3(out_2 + self.dense_proj(out_2))


class Translator(keras.Model):
    def __init__(self, vocab_size=15000, seq_len=20, embed_dim=256, latent_dim=2048, num_heads=8):
        super().__init__()
        self.src_emb = layers.Embedding(vocab_size, embed_dim)
        self.tgt_emb = layers.Embedding(vocab_size, embed_dim)
        self.src_pos = layers.Embedding(seq_len, embed_dim)
        self.tgt_pos = layers.Embedding(seq_len, embed_dim)
        self.encoder = TransformerEncoder(embed_dim, latent_dim, num_heads)
        self.decoder = TransformerDecoder(embed_dim, latent_dim, num_heads)
        self.out = layers.Dense(vocab_size, activation="softmax")

    def call(self, inputs):
        src, tgt = inputs["encoder_inputs"], inputs["decoder_inputs"]
        src_keep = ops.not_equal(src, 0)                                  # (B, S), True = token
        tgt_keep = ops.not_equal(tgt, 0)                                  # (B, T)
        T = ops.shape(tgt)[1]
        i = ops.arange(T)[:, None]
        j = ops.arange(T)
        causal = ops.greater_equal(i, j)                                  # (T, T), True = visible
        dec_mask = ops.logical_and(causal[None, :, :], tgt_keep[:, None, :])

        x_src = self.src_emb(src) + self.src_pos(ops.arange(ops.shape(src)[1]))
        x_tgt = self.tgt_emb(tgt) + self.tgt_pos(ops.arange(T))
        enc = self.encoder(x_src, src_keep)
        dec = self.decoder(
            x_tgt, enc,
            self_mask=dec_mask,
            cross_mask=dec_mask,  # expect: ML503
        )
        return self.out(dec)


if __name__ == "__main__":
    model = Translator()
    model.compile("rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
