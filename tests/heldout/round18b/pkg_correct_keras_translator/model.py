import keras
from keras import layers, ops

from .blocks import G2PDecoderBlock, G2PEncoderBlock
from .masking import cross_mask, decoder_self_mask, keep_mask


class G2P(keras.Model):
    def __init__(self, n_graphemes=40, n_phonemes=50, d=32, heads=4, **kwargs):
        super().__init__(**kwargs)
        self.g_emb = layers.Embedding(n_graphemes, d)
        self.p_emb = layers.Embedding(n_phonemes, d)
        self.pos = layers.Embedding(64, d)
        self.enc = [G2PEncoderBlock(d, heads) for _ in range(2)]
        self.dec = [G2PDecoderBlock(d, heads) for _ in range(2)]
        self.out = layers.Dense(n_phonemes)

    def call(self, inputs):
        graphemes, phonemes = inputs
        enc_mask = ops.logical_and(keep_mask(graphemes)[:, :, None], keep_mask(graphemes)[:, None, :])
        x = self.g_emb(graphemes) + self.pos(ops.arange(ops.shape(graphemes)[1]))
        for blk in self.enc:
            x = blk(x, enc_mask)
        y = self.p_emb(phonemes) + self.pos(ops.arange(ops.shape(phonemes)[1]))
        self_mask = decoder_self_mask(phonemes)
        mem_mask = cross_mask(phonemes, graphemes)
        for blk in self.dec:
            y = blk(y, x, self_mask, mem_mask)
        return self.out(y)
