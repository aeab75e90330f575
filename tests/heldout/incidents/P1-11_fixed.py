import keras
from keras import layers, ops


def create_padding_mask(token_ids, pad_id=0):
    """Keras attention masks keep positions set to 1: 1.0 where the token is real."""
    mask = ops.cast(ops.not_equal(token_ids, pad_id), "float32")
    return mask[:, None, :]  # (batch, 1, seq_len) -> broadcast over query positions


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim // num_heads)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, padding_mask=None, training=False):
        attn_output = self.att(inputs, inputs, attention_mask=padding_mask, training=training)
        out1 = self.layernorm1(inputs + self.dropout1(attn_output, training=training))
        ffn_output = self.ffn(out1)
        return self.layernorm2(out1 + self.dropout2(ffn_output, training=training))


class TextClassifier(keras.Model):
    def __init__(self, vocab_size, maxlen, embed_dim=32, num_heads=2, ff_dim=32, num_classes=2):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)
        self.block = TransformerBlock(embed_dim, num_heads, ff_dim)
        self.pool = layers.GlobalAveragePooling1D()
        self.classifier = layers.Dense(num_classes, activation="softmax")

    def call(self, token_ids, training=False):
        positions = ops.arange(0, ops.shape(token_ids)[-1])
        x = self.token_emb(token_ids) + self.pos_emb(positions)
        padding_mask = create_padding_mask(token_ids)
        x = self.block(x, padding_mask=padding_mask, training=training)
        return self.classifier(self.pool(x))
