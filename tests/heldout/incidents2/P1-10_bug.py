import tensorflow as tf


def create_padding_mask(seq):
    seq = tf.cast(tf.math.equal(seq, 0), tf.float32)
    return seq[:, tf.newaxis, tf.newaxis, :]  # (batch, 1, 1, seq_len), 1 = pad


def create_look_ahead_mask(size):
    return 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)


def create_masks(inp, tar):
    enc_padding_mask = create_padding_mask(inp)
    dec_padding_mask = create_padding_mask(inp)
    look_ahead_mask = create_look_ahead_mask(tf.shape(tar)[1])
    dec_target_padding_mask = create_padding_mask(tar)
    combined_mask = tf.maximum(dec_target_padding_mask, look_ahead_mask)
    return enc_padding_mask, combined_mask, dec_padding_mask


class Transformer(tf.keras.Model):
    def __init__(self, d_model=128, num_heads=8, input_vocab=8500, target_vocab=8000):
        super().__init__()
        self.src_emb = tf.keras.layers.Embedding(input_vocab, d_model)
        self.tgt_emb = tf.keras.layers.Embedding(target_vocab, d_model)
        self.enc_attn = tf.keras.layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.dec_self_attn = tf.keras.layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.dec_cross_attn = tf.keras.layers.MultiHeadAttention(num_heads, d_model // num_heads)
        self.norm = [tf.keras.layers.LayerNormalization() for _ in range(3)]
        self.final_layer = tf.keras.layers.Dense(target_vocab)

    def call(self, inputs, training=False):
        inp, tar = inputs
        enc_padding_mask, combined_mask, dec_padding_mask = create_masks(inp, tar)  # BUG: tutorial masks use 1 = hide

        x = self.src_emb(inp)
        enc = self.norm[0](x + self.enc_attn(x, x, attention_mask=enc_padding_mask, training=training))  # BUG

        y = self.tgt_emb(tar)
        y = self.norm[1](y + self.dec_self_attn(y, y, attention_mask=combined_mask, training=training))  # BUG
        y = self.norm[2](y + self.dec_cross_attn(y, enc, attention_mask=dec_padding_mask, training=training))  # BUG
        return self.final_layer(y)


if __name__ == "__main__":
    model = Transformer()
    inp = tf.constant([[5, 8, 12, 0, 0], [7, 3, 2, 9, 4]])
    tar = tf.constant([[1, 6, 9, 0], [1, 4, 4, 2]])
    print(model((inp, tar)).shape)
