"""Models that use each helper with the API it was written for."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from pkg_ok_helpers.masks import mha_causal_mask, mha_padding_mask, sdpa_keep_mask
from .masks import square_subsequent_mask


class MHALM(nn.Module):
    def __init__(self, vocab, d_model=256, nhead=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        x = self.embed(tokens)
        causal = mha_causal_mask(tokens.size(1), tokens.device)
        pad = mha_padding_mask(tokens)
        h, _ = self.attn(x, x, x, attn_mask=causal, key_padding_mask=pad, need_weights=False)
        return self.head(x + h)


class SDPALM(nn.Module):
    def __init__(self, vocab, d_model=256, nhead=4):
        super().__init__()
        self.nhead = nhead
        self.embed = nn.Embedding(vocab, d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        x = self.embed(tokens)
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.nhead, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=sdpa_keep_mask(tokens))
        return self.head(x + y.transpose(1, 2).reshape(B, T, C))


class EncoderLM(nn.Module):
    def __init__(self, vocab, d_model=256, nhead=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 4)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        T = tokens.size(1)
        h = self.encoder(self.embed(tokens), mask=square_subsequent_mask(T, tokens.device), is_causal=True)
        return self.head(h)

    def loss(self, tokens):
        logits = self(tokens[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), tokens[:, 1:])
