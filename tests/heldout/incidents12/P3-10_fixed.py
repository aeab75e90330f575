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

    def concat(self, tensor):
        batch_size, head, length, d_tensor = tensor.size()
        return tensor.transpose(1, 2).contiguous().view(batch_size, length, head * d_tensor)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out, attention = self.attention(q, k, v, mask=mask)
        return self.w_concat(self.concat(out))


class Encoder(nn.Module):
    def __init__(self, enc_voc_size, d_model=32, n_head=4, src_pad_idx=1):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.emb = nn.Embedding(enc_voc_size, d_model, padding_idx=src_pad_idx)
        self.attention = MultiHeadAttention(d_model, n_head)
        self.norm = nn.LayerNorm(d_model)

    def make_src_mask(self, src):
        src_mask = (src != self.src_pad_idx).unsqueeze(1).unsqueeze(2)
        return src_mask

    def forward(self, src):
        src_mask = self.make_src_mask(src)
        x = self.emb(src)
        return self.norm(x + self.attention(x, x, x, mask=src_mask))


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = Encoder(enc_voc_size=40).eval()
    src = torch.tensor([[5, 9, 12, 7, 1, 1], [3, 4, 1, 1, 1, 1]])
    real = src != 1
    with torch.no_grad():
        a = enc(src)
        enc.emb.weight[1] = torch.randn(32)
        b = enc(src)
    print(f"real-token outputs change when the pad embedding changes = {(a - b)[real].abs().max().item():.4f}")
