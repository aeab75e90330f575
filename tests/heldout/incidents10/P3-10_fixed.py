"""hyunwoongko/transformer style: models/model/transformer.py mask helpers
plus models/layers/scale_dot_product_attention.py."""
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
        self.w_q, self.w_k, self.w_v = (nn.Linear(d_model, d_model) for _ in range(3))
        self.w_concat = nn.Linear(d_model, d_model)

    def split(self, t):
        b, n, d = t.size()
        return t.view(b, n, self.n_head, d // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out, attention = self.attention(q, k, v, mask=mask)
        b, h, n, d = out.size()
        return self.w_concat(out.transpose(1, 2).contiguous().view(b, n, h * d))


class Encoder(nn.Module):
    def __init__(self, vocab=30, d_model=16, n_head=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.attention = MultiHeadAttention(d_model, n_head)

    def forward(self, x, src_mask):
        h = self.emb(x)
        return h + self.attention(h, h, h, mask=src_mask)


class Transformer(nn.Module):
    def __init__(self, src_pad_idx=0):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.encoder = Encoder()

    def make_src_mask(self, src):
        src_mask = (src != self.src_pad_idx).unsqueeze(1).unsqueeze(2)
        return src_mask

    def forward(self, src):
        return self.encoder(src, self.make_src_mask(src))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer()
    src = torch.tensor([[5, 7, 9, 0, 0], [4, 3, 2, 8, 6]])
    # change the pad embedding (pad content)
    a = model(src)
    with torch.no_grad():
        model.encoder.emb.weight[0] += 5.0
    b = model(src)
    print("real-token change from pad content:", (a[0, :3] - b[0, :3]).abs().max().item())
