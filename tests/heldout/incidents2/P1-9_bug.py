import tensorflow as tf


def create_look_ahead_mask(size):
    # 1 marks the positions that must be hidden (upper triangle)
    mask = 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)
    return mask  # (seq_len, seq_len)


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super().__init__()
        self.mha1 = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.mha2 = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model // num_heads)
        self.ffn = tf.keras.Sequential([
            tf.keras.layers.Dense(dff, activation="relu"),
            tf.keras.layers.Dense(d_model),
        ])
        self.layernorm1 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.layernorm3 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.dropout = tf.keras.layers.Dropout(rate)

    def call(self, x, enc_output, training, look_ahead_mask, enc_attend_mask=None):
        attn1 = self.mha1(query=x, value=x, key=x,
                          attention_mask=look_ahead_mask,  # BUG: 1 = block here, Keras MHA reads 1 = attend
                          training=training)
        out1 = self.layernorm1(x + attn1)
        attn2 = self.mha2(query=out1, value=enc_output, key=enc_output,
                          attention_mask=enc_attend_mask, training=training)
        out2 = self.layernorm2(out1 + attn2)
        ffn_output = self.dropout(self.ffn(out2), training=training)
        return self.layernorm3(out2 + ffn_output)


class Decoder(tf.keras.layers.Layer):
    def __init__(self, num_layers, d_model, num_heads, dff, target_vocab_size):
        super().__init__()
        self.embedding = tf.keras.layers.Embedding(target_vocab_size, d_model)
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]

    def call(self, tar, enc_output, training):
        look_ahead_mask = create_look_ahead_mask(tf.shape(tar)[1])  # BUG
        x = self.embedding(tar)
        for layer in self.dec_layers:
            x = layer(x, enc_output, training, look_ahead_mask)
        return x


if __name__ == "__main__":
    dec = Decoder(num_layers=2, d_model=128, num_heads=8, dff=512, target_vocab_size=8000)
    tar = tf.random.uniform((16, 30), 1, 8000, dtype=tf.int64)
    enc = tf.random.uniform((16, 40, 128))
    print(dec(tar, enc, training=False).shape)
