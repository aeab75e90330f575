import tensorflow as tf


def create_padding_mask(seq):
    seq = tf.cast(tf.math.not_equal(seq, 0), tf.float32)
    return seq[:, tf.newaxis, :]  # (batch_size, 1, seq_len), 1 = real token


def create_look_ahead_mask(size):
    return tf.linalg.band_part(tf.ones((size, size)), -1, 0)


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)
    look_ahead_mask = create_look_ahead_mask(tf.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = tf.minimum(dec_target_padding_mask, look_ahead_mask)
    return enc_padding_mask, combined_mask, dec_padding_mask


class Transformer(tf.keras.Model):
    def __init__(self, *, num_heads, d_model, dff, input_vocab_size, target_vocab_size, rate=0.1):
        super().__init__()
        self.enc_embedding = tf.keras.layers.Embedding(input_vocab_size, d_model)
        self.dec_embedding = tf.keras.layers.Embedding(target_vocab_size, d_model)
        self.enc_mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model, dropout=rate)
        self.dec_mha1 = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model, dropout=rate)
        self.dec_mha2 = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model, dropout=rate)
        self.enc_ffn = tf.keras.layers.Dense(d_model, activation="relu")
        self.dec_ffn = tf.keras.layers.Dense(d_model, activation="relu")
        self.norms = [tf.keras.layers.LayerNormalization(epsilon=1e-6) for _ in range(5)]
        self.final_layer = tf.keras.layers.Dense(target_vocab_size)

    def call(self, inputs, training=False):
        inp, tar = inputs
        enc_padding_mask, look_ahead_mask, dec_padding_mask = create_masks(inp, tar)

        x = self.enc_embedding(inp)
        x = self.norms[0](x + self.enc_mha(x, x, attention_mask=enc_padding_mask, training=training))
        enc_output = self.norms[1](x + self.enc_ffn(x))

        y = self.dec_embedding(tar)
        y = self.norms[2](y + self.dec_mha1(y, y, attention_mask=look_ahead_mask, training=training))
        y = self.norms[3](y + self.dec_mha2(y, enc_output, attention_mask=dec_padding_mask, training=training))
        y = self.norms[4](y + self.dec_ffn(y))
        return self.final_layer(y)
