import math

import torch
from torch import nn


class ScaleDotProductAttention(nn.Module):
    def forward(self, q, k, v, mask=None, e=1e-12):
        batch_size, head, length, d_tensor = k.size()
        score = (q @ k.transpose(2, 3)) / math.sqrt(d_tensor)
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)
        score = torch.softmax(score, dim=-1)
        return score @ v, score


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head = n_head
        self.attention = ScaleDotProductAttention()
        self.w_q, self.w_k, self.w_v = nn.Linear(d_model, d_model), nn.Linear(d_model, d_model), nn.Linear(d_model, d_model)
        self.w_concat = nn.Linear(d_model, d_model)

    def split(self, tensor):
        b, length, d_model = tensor.size()
        return tensor.view(b, length, self.n_head, d_model // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out, attention = self.attention(q, k, v, mask=mask)
        b, h, length, d = out.size()
        return self.w_concat(out.transpose(1, 2).contiguous().view(b, length, h * d)), attention


def make_src_mask(src, src_pad_idx):
    return (src != src_pad_idx).unsqueeze(1).unsqueeze(3)  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    pad = 1
    src = torch.tensor([[5, 6, 7, 8, 9], [5, 6, 1, 1, 1]])
    emb = nn.Embedding(16, 32, padding_idx=pad)
    mha = MultiHeadAttention(d_model=32, n_head=4)
    x = emb(src)
    out, attn = mha(x, x, x, mask=make_src_mask(src, pad))
    print("attention mass on padded keys (sample 1):", attn[1, :, :2, 2:].sum().item())
