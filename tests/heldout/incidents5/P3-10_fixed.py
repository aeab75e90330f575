"""Encoder-decoder Transformer (from-scratch implementation) with greedy decoding."""
import math

import torch
import torch.nn as nn


class ScaleDotProductAttention(nn.Module):
    def forward(self, q, k, v, mask=None):
        score = q @ k.transpose(2, 3) / math.sqrt(k.size(-1))
        if mask is not None:
            score = score.masked_fill(mask == 0, -10000)
        return score.softmax(dim=-1) @ v


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head = n_head
        self.w_q, self.w_k, self.w_v, self.w_o = (nn.Linear(d_model, d_model) for _ in range(4))
        self.attention = ScaleDotProductAttention()

    def split(self, t):
        b, l, d = t.shape
        return t.view(b, l, self.n_head, d // self.n_head).transpose(1, 2)

    def forward(self, q, k, v, mask=None):
        out = self.attention(self.split(self.w_q(q)), self.split(self.w_k(k)), self.split(self.w_v(v)), mask)
        b, h, l, d = out.shape
        return self.w_o(out.transpose(1, 2).reshape(b, l, h * d))


class Transformer(nn.Module):
    def __init__(self, src_pad_idx, trg_pad_idx, trg_sos_idx, vocab=60, d_model=32, n_head=4):
        super().__init__()
        self.src_pad_idx, self.trg_pad_idx, self.trg_sos_idx = src_pad_idx, trg_pad_idx, trg_sos_idx
        self.src_emb = nn.Embedding(vocab, d_model)
        self.trg_emb = nn.Embedding(vocab, d_model)
        self.enc_attn = MultiHeadAttention(d_model, n_head)
        self.dec_self = MultiHeadAttention(d_model, n_head)
        self.dec_cross = MultiHeadAttention(d_model, n_head)
        self.out = nn.Linear(d_model, vocab)

    def make_src_mask(self, src):
        return (src != self.src_pad_idx).unsqueeze(1).unsqueeze(2)

    def make_trg_mask(self, trg):
        trg_pad_mask = (trg != self.trg_pad_idx).unsqueeze(1).unsqueeze(2)
        L = trg.shape[1]
        trg_sub_mask = torch.tril(torch.ones(L, L, dtype=torch.bool, device=trg.device))
        return trg_pad_mask & trg_sub_mask

    def encode(self, src, src_mask):
        x = self.src_emb(src)
        return x + self.enc_attn(x, x, x, src_mask)

    def decode(self, trg, enc, src_mask):
        y = self.trg_emb(trg)
        y = y + self.dec_self(y, y, y, self.make_trg_mask(trg))
        y = y + self.dec_cross(y, enc, enc, src_mask)
        return self.out(y)

    def forward(self, src, trg):
        src_mask = self.make_src_mask(src)
        return self.decode(trg, self.encode(src, src_mask), src_mask)

    @torch.no_grad()
    def greedy(self, src, max_len=8):
        src_mask = self.make_src_mask(src)
        enc = self.encode(src, src_mask)
        trg = torch.full((src.shape[0], 1), self.trg_sos_idx, dtype=torch.long)
        for step in range(max_len):
            nxt = self.decode(trg, enc, src_mask)[:, -1].argmax(-1, keepdim=True)
            trg = torch.cat([trg, nxt], 1)
        return trg


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Transformer(src_pad_idx=1, trg_pad_idx=1, trg_sos_idx=2).eval()
    src = torch.tensor([[5, 6, 7, 1, 1], [8, 9, 10, 11, 12]])
    src2 = src.clone()
    src2[0, 3:] = 1
    trg = torch.tensor([[2, 5, 6, 1], [2, 7, 8, 9]])
    with torch.no_grad():
        a = model(src, trg)
        b = model(src[:1], trg[:1, :3])
    print("pads ignored:", torch.allclose(a[0, :3], b[0], atol=1e-5))
    print(model.greedy(src).shape)
