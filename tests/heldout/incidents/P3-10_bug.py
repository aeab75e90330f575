import math

import torch
from torch import nn


class ScaleDotProductAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, q, k, v, mask=None):
        # input is 4 dimension tensor [batch_size, head, length, d_tensor]
        batch_size, head, length, d_tensor = k.size()
        score = (q @ k.transpose(2, 3)) / math.sqrt(d_tensor)
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)  # BUG: (B, 1, L, 1) mask blanks whole query rows
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
        return self.w_concat(out.transpose(1, 2).contiguous().view(batch_size, length, head * d_tensor))


class Decoder(nn.Module):
    def __init__(self, dec_voc_size, d_model=8, n_head=2, trg_pad_idx=0):
        super().__init__()
        self.trg_pad_idx = trg_pad_idx
        self.emb = nn.Embedding(dec_voc_size, d_model, padding_idx=trg_pad_idx)
        self.self_attention = MultiHeadAttention(d_model, n_head)
        self.norm = nn.LayerNorm(d_model)
        self.linear = nn.Linear(d_model, dec_voc_size)

    def make_trg_mask(self, trg):
        trg_pad_mask = (trg != self.trg_pad_idx).unsqueeze(1).unsqueeze(3)  # BUG: pads the query axis, not the key axis
        trg_len = trg.shape[1]
        trg_sub_mask = torch.tril(torch.ones(trg_len, trg_len, device=trg.device)).bool()
        return trg_pad_mask & trg_sub_mask

    def forward(self, trg):
        trg_mask = self.make_trg_mask(trg)
        x = self.emb(trg)
        x = self.norm(x + self.self_attention(q=x, k=x, v=x, mask=trg_mask))
        return self.linear(x)


def run():
    decoder = Decoder(dec_voc_size=15)
    trg = torch.tensor([[2, 5, 7, 9, 3], [2, 6, 3, 0, 0]])
    return decoder(trg)
