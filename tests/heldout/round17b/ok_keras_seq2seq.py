"""Grapheme-to-phoneme conversion (Keras 3): spelling in, ARPAbet phonemes out."""
import keras
from keras import layers, ops

PAD = 0


class G2PDecoderBlock(layers.Layer):
    def __init__(self, dim, heads, **kw):
        super().__init__(**kw)
        self.self_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.ff = keras.Sequential([layers.Dense(2 * dim, activation="relu"), layers.Dense(dim)])
        self.norms = [layers.LayerNormalization() for _ in range(3)]

    def call(self, x, memory, phone_keep, letter_keep):
        self_mask = phone_keep[:, None, :]
        x = self.norms[0](x + self.self_attn(x, x, attention_mask=self_mask, use_causal_mask=True))
        x = self.norms[1](x + self.cross_attn(x, memory, attention_mask=letter_keep[:, None, :]))
        return self.norms[2](x + self.ff(x))


class G2P(keras.Model):
    def __init__(self, letters=30, phones=72, dim=64, heads=4, **kw):
        super().__init__(**kw)
        self.letter_emb = layers.Embedding(letters, dim)
        self.phone_emb = layers.Embedding(phones, dim)
        self.letter_pos = layers.Embedding(32, dim)
        self.phone_pos = layers.Embedding(32, dim)
        self.enc = layers.MultiHeadAttention(heads, dim // heads)
        self.enc_norm = layers.LayerNormalization()
        self.dec = G2PDecoderBlock(dim, heads)
        self.out = layers.Dense(phones)

    def call(self, inputs):
        letters, phones = inputs
        letter_keep = ops.not_equal(letters, PAD)
        phone_keep = ops.not_equal(phones, PAD)
        e = self.letter_emb(letters) + self.letter_pos(ops.arange(ops.shape(letters)[1]))
        memory = self.enc_norm(e + self.enc(e, e, attention_mask=letter_keep[:, None, :]))
        d = self.phone_emb(phones) + self.phone_pos(ops.arange(ops.shape(phones)[1]))
        return self.out(self.dec(d, memory, phone_keep, letter_keep))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    letters = ops.convert_to_tensor([[3, 15, 1, 20, 0, 0, 0], [16, 8, 15, 14, 5, 20, 9]])
    phones = ops.convert_to_tensor([[1, 40, 12, 33, 2], [1, 50, 51, 2, 0]])
    model = G2P()
    print(ops.argmax(model((letters, phones)), axis=-1))
