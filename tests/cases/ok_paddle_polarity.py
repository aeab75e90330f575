"""PaddlePaddle masks with Paddle's polarity: True = attend (silent)."""
import paddle
import paddle.nn as nn


class CausalSelfAttention(nn.Layer):
    def __init__(self, d_model=64, n_heads=4):
        super().__init__()
        self.attn = nn.MultiHeadAttention(d_model, n_heads)

    def forward(self, x):
        n = x.shape[1]
        allowed = paddle.tril(paddle.ones([n, n])).astype("bool")
        return self.attn(x, x, x, attn_mask=allowed)


class PaddedEncoderLayer(nn.Layer):
    def __init__(self, d_model=64, n_heads=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(1000, d_model)
        self.attn = nn.MultiHeadAttention(d_model, n_heads)

    def forward(self, tokens):
        real = tokens != self.pad_id
        h = self.embed(tokens)
        return self.attn(h, h, h, attn_mask=real.unsqueeze([1, 2]))


class FromTorchPort(nn.Layer):
    def __init__(self, d_model=64, n_heads=4):
        super().__init__()
        self.attn = nn.MultiHeadAttention(d_model, n_heads)

    def forward(self, query, key, value, key_padding_mask=None):
        attn_mask = None
        if key_padding_mask is not None:
            attn_mask = paddle.logical_not(key_padding_mask).unsqueeze([1, 2])
        return self.attn(query, key, value, attn_mask=attn_mask)
