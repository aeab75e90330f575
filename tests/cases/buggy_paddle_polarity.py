"""torch's masks carried into PaddlePaddle, whose MultiHeadAttention attends where a bool mask is
True (Paddle3D PR#235, P1-8)."""
import paddle
import paddle.nn as nn


class CausalSelfAttention(nn.Layer):
    def __init__(self, d_model=64, n_heads=4):
        super().__init__()
        self.attn = nn.MultiHeadAttention(d_model, n_heads)

    def forward(self, x):
        n = x.shape[1]
        future = paddle.triu(paddle.ones([n, n]), diagonal=1).astype("bool")
        return self.attn(x, x, x, attn_mask=future)  # expect: ML102


class PaddedEncoderLayer(nn.Layer):
    def __init__(self, d_model=64, n_heads=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(1000, d_model)
        self.attn = nn.MultiHeadAttention(d_model, n_heads)

    def forward(self, tokens):
        pad = tokens == self.pad_id
        h = self.embed(tokens)
        return self.attn(h, h, h, attn_mask=pad.unsqueeze([1, 2]))  # expect: ML102
