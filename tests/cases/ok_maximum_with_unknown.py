"""Near-misses: the combined block mask turned into a keep mask before Keras or SDPA reads it."""
import keras
import torch
import torch.nn.functional as F
from keras import layers, ops


def tutorial_masks(tar, dec_pad):
    size = ops.shape(tar)[1]
    look_ahead = 1.0 - ops.tril(ops.ones((size, size)))
    return ops.maximum(look_ahead[None, :, :], dec_pad)


class Decoder(layers.Layer):
    def __init__(self, d, heads, **kw):
        super().__init__(**kw)
        self.mha = layers.MultiHeadAttention(num_heads=heads, key_dim=d // heads)

    def call(self, x, tar, dec_pad):
        hide = tutorial_masks(tar, dec_pad)
        return x + self.mha(x, x, attention_mask=1.0 - hide)


def torch_decoder(q, k, v, pad_rows):
    T = q.size(-2)
    future = 1 - torch.tril(torch.ones(T, T, device=q.device))
    hide = torch.maximum(future, pad_rows)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hide == 0)
