import math

import torch
from torch import nn


class ScaleDotProductAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.softmax = nn.Softmax(dim=-1)

    def forward(self, q, k, v, mask=None, e=1e-12):
        batch_size, head, length, d_tensor = k.size()
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
        self.w_q, self.w_k, self.w_v = nn.Linear(d_model, d_model), nn.Linear(d_model, d_model), nn.Linear(d_model, d_model)
        self.w_concat = nn.Linear(d_model, d_model)

    def split(self, tensor):
        batch_size, length, d_model = tensor.size()
        return tensor.view(batch_size, length, self.n_head, d_model // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        q, k, v = self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v))
        out, attention = self.attention(q, k, v, mask=mask)
        batch_size, head, length, d_tensor = out.size()
        return self.w_concat(out.transpose(1, 2).contiguous().view(batch_size, length, head * d_tensor))


class EncoderLayer(nn.Module):
    def __init__(self, d_model, ffn_hidden, n_head):
        super().__init__()
        self.attention = MultiHeadAttention(d_model, n_head)
        self.norm1 = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, ffn_hidden), nn.ReLU(), nn.Linear(ffn_hidden, d_model))
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, x, src_mask):
        x = self.norm1(x + self.attention(q=x, k=x, v=x, mask=src_mask))
        return self.norm2(x + self.ffn(x))


class Transformer(nn.Module):
    def __init__(self, src_pad_idx, enc_voc_size=40, d_model=32, n_head=4, ffn_hidden=64):
        super().__init__()
        self.src_pad_idx = src_pad_idx
        self.emb = nn.Embedding(enc_voc_size, d_model)
        self.encoder = EncoderLayer(d_model, ffn_hidden, n_head)

    def make_src_mask(self, src):
        src_mask = (src != self.src_pad_idx).unsqueeze(1).unsqueeze(2)  # BUG
        return src_mask

    def forward(self, src):
        return self.encoder(self.emb(src), self.make_src_mask(src))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer(src_pad_idx=1).eval()
    src = torch.tensor([[5, 7, 9, 11, 1, 1], [4, 6, 8, 10, 12, 14]])
    with torch.no_grad():
        padded = model(src)[0, :4]
        alone = model(src[:1, :4])[0]
    print(f"real tokens: |padded - unpadded| = {(padded - alone).abs().max().item():.4f}")
