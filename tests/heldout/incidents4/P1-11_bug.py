import keras
from keras import layers, ops


def padding_mask(token_ids, pad_id=0):
    mask = ops.cast(ops.equal(token_ids, pad_id), "int32")  # BUG
    return mask[:, None, :]


def causal_mask(seq_len):
    i = ops.arange(seq_len)[:, None]
    j = ops.arange(seq_len)
    return ops.cast(i >= j, "int32")


class TransformerEncoderBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim // num_heads)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="gelu"), layers.Dense(embed_dim)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)
        self.drop1 = layers.Dropout(rate)
        self.drop2 = layers.Dropout(rate)

    def call(self, x, attention_mask=None, training=False):
        attn = self.att(x, x, attention_mask=attention_mask, training=training)  # BUG
        x = self.norm1(x + self.drop1(attn, training=training))
        return self.norm2(x + self.drop2(self.ffn(x), training=training))


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_emb = layers.Embedding(vocab_size, embed_dim)
        self.pos_emb = layers.Embedding(maxlen, embed_dim)

    def call(self, x):
        positions = ops.arange(0, ops.shape(x)[-1])
        return self.token_emb(x) + self.pos_emb(positions)


def build_classifier(maxlen=200, vocab_size=20000, embed_dim=64, num_heads=4, ff_dim=128, num_blocks=2):
    inputs = keras.Input(shape=(maxlen,), dtype="int32")
    mask = padding_mask(inputs)
    x = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
    for _ in range(num_blocks):
        x = TransformerEncoderBlock(embed_dim, num_heads, ff_dim)(x, attention_mask=mask)
    keep = ops.cast(ops.not_equal(inputs, 0), "float32")[..., None]
    x = ops.sum(x * keep, axis=1) / ops.maximum(ops.sum(keep, axis=1), 1.0)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


if __name__ == "__main__":
    model = build_classifier()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.summary()
