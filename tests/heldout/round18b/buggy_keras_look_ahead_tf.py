"""tf.keras poetry generator (decoder-only) using the tutorial's look-ahead mask helper."""
import tensorflow as tf


def create_look_ahead_mask(size):
    mask = 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)
    return mask


def create_padding_mask(seq):
    seq = tf.cast(tf.math.equal(seq, 0), tf.float32)
    return seq[:, tf.newaxis, :]


class PoetryBlock(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads, dropout=rate)
        self.ffn = tf.keras.Sequential([tf.keras.layers.Dense(dff, activation="relu"), tf.keras.layers.Dense(d_model)])
        self.layernorm1 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = tf.keras.layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, training, mask):
        attn_output = self.mha(query=x, value=x, key=x, attention_mask=mask, training=training)
        out1 = self.layernorm1(x + attn_output)
        return self.layernorm2(out1 + self.ffn(out1))


class PoetryModel(tf.keras.Model):
    def __init__(self, vocab_size=8000, d_model=64, num_heads=4, dff=128, num_layers=2, max_len=128):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(vocab_size, d_model)
        self.pos = tf.keras.layers.Embedding(max_len, d_model)
        self.blocks = [PoetryBlock(d_model, num_heads, dff) for _ in range(num_layers)]
        self.final = tf.keras.layers.Dense(vocab_size)

    def call(self, inp, training=False):
        seq_len = tf.shape(inp)[1]
        look_ahead = create_look_ahead_mask(seq_len)
        dec_padding = create_padding_mask(inp)
        combined_mask = tf.maximum(dec_padding, look_ahead)
        x = self.embedding(inp) + self.pos(tf.range(seq_len))
        for block in self.blocks:
            x = block(x, training, combined_mask)  # BUG: combined look-ahead/padding mask (1 = blocked) reaches Keras MultiHeadAttention (1 = attend)
        return self.final(x)


if __name__ == "__main__":
    model = PoetryModel()
    tokens = tf.constant([[5, 87, 301, 12, 9, 0, 0], [44, 3, 19, 250, 7, 61, 2]])
    logits = model(tokens[:, :-1])
    loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(tokens[:, 1:], logits)
    print("loss", float(loss))
