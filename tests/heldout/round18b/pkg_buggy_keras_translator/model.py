import keras
from keras import layers, ops

from .layers import DecoderLayer, EncoderLayer
from .masks import create_masks


class Translator(keras.Model):
    def __init__(self, num_layers=2, d_model=32, num_heads=4, dff=64, input_vocab=500, target_vocab=500, max_len=64, **kwargs):
        super().__init__(**kwargs)
        self.inp_emb = layers.Embedding(input_vocab, d_model)
        self.tar_emb = layers.Embedding(target_vocab, d_model)
        self.pos = layers.Embedding(max_len, d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]
        self.dec_layers = [DecoderLayer(d_model, num_heads, dff) for _ in range(num_layers)]
        self.final_layer = layers.Dense(target_vocab)

    def call(self, inputs, training=False):
        inp, tar = inputs
        enc_padding_mask, look_ahead_mask, dec_padding_mask = create_masks(inp, tar)
        x = self.inp_emb(inp) + self.pos(ops.arange(ops.shape(inp)[1]))
        for layer in self.enc_layers:
            x = layer(x, enc_padding_mask, training=training)
        y = self.tar_emb(tar) + self.pos(ops.arange(ops.shape(tar)[1]))
        for layer in self.dec_layers:
            y = layer(y, x, look_ahead_mask, dec_padding_mask, training=training)
        return self.final_layer(y)
