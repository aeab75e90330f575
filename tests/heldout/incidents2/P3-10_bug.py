import math

import torch
from torch import nn


class ScaleDotProductAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, q, k, v, mask=None):
        d_tensor = k.size(-1)
        score = (q @ k.transpose(2, 3)) / math.sqrt(d_tensor)
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)
        score = self.softmax(score)
        return score @ v, score


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head = n_head
        self.attention = ScaleDotProductAttention()
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_concat = nn.Linear(d_model, d_model)

    def split(self, tensor):
        batch_size, length, d_model = tensor.size()
        return tensor.view(batch_size, length, self.n_head, d_model // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out, _ = self.attention(q, k, v, mask=mask)
        batch_size, head, length, d_tensor = out.size()
        return self.w_concat(out.transpose(1, 2).contiguous().view(batch_size, length, head * d_tensor))


class Transformer(nn.Module):
    def __init__(self, src_pad_idx, enc_voc_size, d_model=512, n_head=8):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.emb = nn.Embedding(enc_voc_size, d_model, padding_idx=src_pad_idx)
        self.enc_attention = MultiHeadAttention(d_model, n_head)
        self.norm = nn.LayerNorm(d_model)

    def make_src_mask(self, src):
        src_mask = (src != self.src_pad_idx).unsqueeze(1).unsqueeze(3)  # BUG: (B, 1, L, 1) masks queries, not keys
        return src_mask

    def forward(self, src):
        src_mask = self.make_src_mask(src)
        x = self.emb(src)
        return self.norm(x + self.enc_attention(x, x, x, mask=src_mask))


if __name__ == "__main__":
    model = Transformer(src_pad_idx=1, enc_voc_size=7000)
    src = torch.tensor([[5, 7, 9, 1, 1], [4, 8, 2, 6, 3]])
    print(model(src).shape)
