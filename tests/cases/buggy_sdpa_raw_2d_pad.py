"""Sentence embedding model (SDPA port) fed from a HF tokenizer."""
import torch.nn as nn
import torch.nn.functional as F


class PoolingEncoderLayer(nn.Module):
    def __init__(self, d=64, nh=4):
        super().__init__()
        self.nh = nh
        self.q, self.k, self.v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.o = nn.Linear(d, d)

    def forward(self, x, attention_mask):
        B, T, D = x.shape
        split = lambda t: t.view(B, T, self.nh, D // self.nh).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        token_keep = attention_mask.bool()  # (B, T), True = real token
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=token_keep)  # expect: ML301
        return self.o(y.transpose(1, 2).reshape(B, T, D))


def embed_batch(layer, emb, enc):
    return layer(emb(enc.input_ids), enc.attention_mask)
