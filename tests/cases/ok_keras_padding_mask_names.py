"""Keras code names its keep masks (1 = a real token) `padding_mask`, as keras-io's examples do:
not torch's True = padding."""
import keras
from keras import layers, ops


class DecoderBlock(layers.Layer):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.self_attn = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attn = layers.MultiHeadAttention(heads, dim // heads)

    def causal(self, inputs):
        n = ops.shape(inputs)[1]
        i = ops.arange(n)[:, None]
        j = ops.arange(n)
        return ops.cast(i >= j, dtype="int32")[None]

    def call(self, inputs, encoder_outputs, decoder_padding_mask=None, encoder_padding_mask=None):
        mask = self.causal(inputs)
        if decoder_padding_mask is not None:
            mask = ops.minimum(ops.cast(decoder_padding_mask[:, None, :], dtype="int32"), mask)
        x = self.self_attn(query=inputs, value=inputs, key=inputs, attention_mask=mask)
        cross = ops.cast(encoder_padding_mask[:, None, :], dtype="int32")
        return self.cross_attn(query=x, value=encoder_outputs, key=encoder_outputs, attention_mask=cross)
