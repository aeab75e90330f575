import tensorflow as tf
from tensorflow import keras


def create_padding_mask(seq):
    # 1.0 where the token is padding
    mask = tf.cast(tf.math.equal(seq, 0), tf.float32)  # BUG: 1 = pad
    return mask[:, tf.newaxis, :]  # (batch, 1, seq_len) -> broadcasts over queries


class TransformerBlock(keras.layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([
            keras.layers.Dense(ff_dim, activation="relu"),
            keras.layers.Dense(embed_dim),
        ])
        self.layernorm1 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = keras.layers.Dropout(rate)
        self.dropout2 = keras.layers.Dropout(rate)

    def call(self, inputs, padding_mask, training=False):
        attn_output = self.att(inputs, inputs, attention_mask=padding_mask, training=training)  # BUG
        out1 = self.layernorm1(inputs + self.dropout1(attn_output, training=training))
        ffn_output = self.ffn(out1)
        return self.layernorm2(out1 + self.dropout2(ffn_output, training=training))


class SentimentClassifier(keras.Model):
    def __init__(self, vocab_size=20000, maxlen=200, embed_dim=32, num_heads=2, ff_dim=32):
        super().__init__()
        self.token_emb = keras.layers.Embedding(vocab_size, embed_dim)
        self.pos_emb = keras.layers.Embedding(maxlen, embed_dim)
        self.block = TransformerBlock(embed_dim, num_heads, ff_dim)
        self.pool = keras.layers.GlobalAveragePooling1D()
        self.classifier = keras.layers.Dense(2, activation="softmax")

    def call(self, tokens, training=False):
        padding_mask = create_padding_mask(tokens)  # BUG: 1 = pad, Keras MHA expects 1 = attend
        positions = tf.range(start=0, limit=tf.shape(tokens)[-1], delta=1)
        x = self.token_emb(tokens) + self.pos_emb(positions)
        x = self.block(x, padding_mask, training=training)
        return self.classifier(self.pool(x))


if __name__ == "__main__":
    model = SentimentClassifier()
    tokens = keras.utils.pad_sequences([[12, 55, 7], [4, 91, 2, 8, 16, 3]], maxlen=200, padding="post")
    print(model(tokens).shape)
