"""Subtitle translation (Keras 3): encoder over source lines, decoder writes the target line."""
import keras
from keras import layers, ops

PAD = 0


def target_mask(tgt_ids):
    t = ops.shape(tgt_ids)[1]
    causal = ops.tril(ops.ones((t, t), dtype="bool"))
    real = ops.not_equal(tgt_ids, PAD)
    return ops.logical_and(causal[None, :, :], real[:, None, :])


def source_mask(src_ids):
    return ops.not_equal(src_ids, PAD)[:, None, :]


class SubtitleDecoderBlock(layers.Layer):
    def __init__(self, dim, heads, ff, **kw):
        super().__init__(**kw)
        self.self_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.ff = keras.Sequential([layers.Dense(ff, activation="relu"), layers.Dense(dim)])
        self.ln1, self.ln2, self.ln3 = (layers.LayerNormalization() for _ in range(3))

    def call(self, x, memory, tgt_mask, src_mask):
        x = self.ln1(x + self.self_attn(x, x, attention_mask=tgt_mask))
        x = self.ln2(x + self.cross_attn(x, memory, attention_mask=tgt_mask))  # expect: ML503
        return self.ln3(x + self.ff(x))


class SubtitleTranslator(keras.Model):
    def __init__(self, src_vocab=8000, tgt_vocab=8000, dim=64, heads=4, ff=128, **kw):
        super().__init__(**kw)
        self.src_emb = layers.Embedding(src_vocab, dim)
        self.tgt_emb = layers.Embedding(tgt_vocab, dim)
        self.src_pos = layers.Embedding(128, dim)
        self.tgt_pos = layers.Embedding(128, dim)
        self.enc_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.enc_ln = layers.LayerNormalization()
        self.dec = SubtitleDecoderBlock(dim, heads, ff)
        self.out = layers.Dense(tgt_vocab)

    def call(self, inputs):
        src, tgt = inputs
        s = self.src_emb(src) + self.src_pos(ops.arange(ops.shape(src)[1]))
        src_keep = source_mask(src)
        memory = self.enc_ln(s + self.enc_attn(s, s, attention_mask=src_keep))
        t = self.tgt_emb(tgt) + self.tgt_pos(ops.arange(ops.shape(tgt)[1]))
        return self.out(self.dec(t, memory, target_mask(tgt), src_keep))


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    src = ops.convert_to_tensor([[12, 40, 77, 5, 0, 0], [9, 9, 310, 42, 18, 6]])
    tgt = ops.convert_to_tensor([[1, 51, 66, 2, 0, 0], [1, 7, 8, 19, 20, 2]])
    model = SubtitleTranslator()
    print(ops.argmax(model((src, tgt)), axis=-1))
