"""
@author : transformer re-implementation, model utilities
"""
import math

import torch
from torch import nn


class ScaleDotProductAttention(nn.Module):
    """
    compute scale dot product attention

    Query : given sentence that we focused on (decoder)
    Key : every sentence to check relationship with Query(encoder)
    Value : every sentence same with Key (encoder)
    """

    def __init__(self):
        super(ScaleDotProductAttention, self).__init__()
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, q, k, v, mask=None, e=1e-12):
        # input is 4 dimension tensor [batch_size, head, length, d_tensor]
        batch_size, head, length, d_tensor = k.size()
        k_t = k.transpose(2, 3)
        score = (q @ k_t) / math.sqrt(d_tensor)
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)
        score = self.softmax(score)
        return score @ v, score


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_head):
        super(MultiHeadAttention, self).__init__()
        self.n_head = n_head
        self.attention = ScaleDotProductAttention()
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_concat = nn.Linear(d_model, d_model)

    def split(self, tensor):
        batch_size, length, d_model = tensor.size()
        d_tensor = d_model // self.n_head
        return tensor.view(batch_size, length, self.n_head, d_tensor).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out, attention = self.attention(q, k, v, mask=mask)
        batch_size, head, length, d_tensor = out.size()
        out = out.transpose(1, 2).contiguous().view(batch_size, length, head * d_tensor)
        return self.w_concat(out)


class Encoder(nn.Module):
    def __init__(self, enc_voc_size, d_model, n_head, src_pad_idx):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.emb = nn.Embedding(enc_voc_size, d_model, padding_idx=src_pad_idx)
        self.attention = MultiHeadAttention(d_model=d_model, n_head=n_head)
        self.norm = nn.LayerNorm(d_model)

    def make_src_mask(self, src):
        src_mask = (src != self.src_pad_idx).unsqueeze(1).unsqueeze(3)  # BUG: (batch, 1, len, 1) masks query rows, not keys; keys need unsqueeze(1).unsqueeze(2)
        return src_mask

    def forward(self, src):
        src_mask = self.make_src_mask(src)
        x = self.emb(src)
        return self.norm(x + self.attention(x, x, x, mask=src_mask))
