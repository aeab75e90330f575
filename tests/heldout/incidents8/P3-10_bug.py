import math

import torch
from torch import nn


class ScaleDotProductAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, q, k, v, mask=None, e=1e-12):
        batch_size, head, length, d_tensor = k.size()
        k_t = k.transpose(2, 3)
        score = (q @ k_t) / math.sqrt(d_tensor)
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
        out, attention = self.attention(q, k, v, mask=mask)
        batch_size, head, length, d_tensor = out.size()
        out = out.transpose(1, 2).contiguous().view(batch_size, length, head * d_tensor)
        return self.w_concat(out)


class Transformer(nn.Module):
    def __init__(self, src_pad_idx, trg_pad_idx, d_model=32, n_head=4, vocab=50):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.trg_pad_idx = trg_pad_idx
        self.emb = nn.Embedding(vocab, d_model)
        self.self_attn = MultiHeadAttention(d_model, n_head)
        self.cross_attn = MultiHeadAttention(d_model, n_head)

    def make_src_mask(self, src):
        return (src != self.src_pad_idx).unsqueeze(1).unsqueeze(2)

    def make_trg_mask(self, trg):
        trg_pad_mask = (trg != self.trg_pad_idx).unsqueeze(1).unsqueeze(3)  # BUG
        trg_len = trg.shape[1]
        trg_sub_mask = torch.tril(torch.ones(trg_len, trg_len)).type(torch.ByteTensor)
        return trg_pad_mask & trg_sub_mask  # BUG

    def forward(self, src, trg):
        src_mask = self.make_src_mask(src)
        trg_mask = self.make_trg_mask(trg)
        enc = self.emb(src)
        dec = self.emb(trg)
        dec = dec + self.self_attn(dec, dec, dec, mask=trg_mask)  # BUG
        return dec + self.cross_attn(dec, enc, enc, mask=src_mask)


if __name__ == "__main__":
    model = Transformer(src_pad_idx=1, trg_pad_idx=1)
    src = torch.tensor([[5, 7, 9, 1, 1], [4, 6, 8, 10, 12]])
    trg = torch.tensor([[2, 5, 7, 1, 1, 1], [2, 3, 4, 5, 6, 7]])
    print(model(src, trg).shape)
