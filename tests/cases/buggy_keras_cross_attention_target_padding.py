"""A Keras 3 decoder layer whose cross-attention over the encoder's outputs gets the padding mask
of the target tokens (built for its self-attention) instead of the source's."""
import keras
from keras import layers, ops


class Decoder(layers.Layer):
    def __init__(self, d=32, heads=2, **kwargs):
        super().__init__(**kwargs)
        self.self_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d)
        self.cross_attn = layers.MultiHeadAttention(num_heads=heads, key_dim=d)

    def call(self, inputs, encoder_outputs, target_tokens):
        n = ops.shape(inputs)[1]
        causal = ops.cast(ops.arange(n)[:, None] >= ops.arange(n), "int32")[None]
        padding_mask = ops.cast(ops.not_equal(target_tokens, 0)[:, None, :], "int32")
        x = inputs + self.self_attn(query=inputs, value=inputs, key=inputs,
                                    attention_mask=ops.minimum(padding_mask, causal))
        return x + self.cross_attn(query=x, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)  # expect: ML503
