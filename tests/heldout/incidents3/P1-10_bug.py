import tensorflow as tf


def create_padding_mask(seq):
    mask = tf.cast(tf.math.equal(seq, 0), tf.float32)  # BUG
    return mask[:, tf.newaxis, :]  # (batch, 1, seq_len)


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)  # BUG


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)
    look_ahead_mask = create_look_ahead_mask(tf.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = tf.maximum(dec_target_padding_mask, look_ahead_mask)  # BUG
    return enc_padding_mask, combined_mask, dec_padding_mask


def point_wise_feed_forward_network(d_model, dff):
    return tf.keras.Sequential([tf.keras.layers.Dense(dff, activation="relu"), tf.keras.layers.Dense(d_model)])


class EncoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model)
        self.ffn = point_wise_feed_forward_network(d_model, dff)
        self.ln1 = tf.keras.layers.LayerNormalization(epsilon=1e-6)
        self.ln2 = tf.keras.layers.LayerNormalization(epsilon=1e-6)

    def call(self, x, mask):
        out1 = self.ln1(x + self.mha(x, x, attention_mask=mask))
        return self.ln2(out1 + self.ffn(out1))


class DecoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, dff):
        super().__init__()
        self.mha1 = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model)
        self.mha2 = tf.keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=d_model)
        self.ffn = point_wise_feed_forward_network(d_model, dff)
        self.lns = [tf.keras.layers.LayerNormalization(epsilon=1e-6) for _ in range(3)]

    def call(self, x, enc_output, look_ahead_mask, padding_mask):
        out1 = self.lns[0](x + self.mha1(x, x, attention_mask=look_ahead_mask))
        out2 = self.lns[1](out1 + self.mha2(out1, enc_output, attention_mask=padding_mask))
        return self.lns[2](out2 + self.ffn(out2))


class Seq2SeqTransformer(tf.keras.Model):
    def __init__(self, vocab_size, d_model=32, num_heads=2, dff=64):
        super().__init__()
        self.src_emb = tf.keras.layers.Embedding(vocab_size, d_model)
        self.tgt_emb = tf.keras.layers.Embedding(vocab_size, d_model)
        self.encoder = EncoderLayer(d_model, num_heads, dff)
        self.decoder = DecoderLayer(d_model, num_heads, dff)
        self.final = tf.keras.layers.Dense(vocab_size)

    def call(self, inp, tar):
        enc_padding_mask, combined_mask, dec_padding_mask = create_masks(inp, tar)
        enc_out = self.encoder(self.src_emb(inp), enc_padding_mask)
        dec_out = self.decoder(self.tgt_emb(tar), enc_out, combined_mask, dec_padding_mask)
        return self.final(dec_out)


if __name__ == "__main__":
    inp = tf.constant([[5, 8, 3, 0, 0], [7, 2, 9, 4, 1]])
    tar = tf.constant([[1, 6, 6, 2, 0, 0], [1, 3, 4, 5, 7, 2]])
    model = Seq2SeqTransformer(vocab_size=20)
    print("logits:", model(inp, tar).shape)
