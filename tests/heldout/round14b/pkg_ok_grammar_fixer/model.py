import math

import torch
from torch import nn

from .masks import future_mask, padding_mask
from .vocab import BOS, EOS


class GECTransformer(nn.Module):
    def __init__(self, vocab_size, d_model=64, nhead=4, layers=2, dropout=0.1):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(128, d_model)
        self.core = nn.Transformer(d_model, nhead, layers, layers, 2 * d_model, dropout, batch_first=True)
        self.proj = nn.Linear(d_model, vocab_size)

    def _emb(self, ids):
        return self.embed(ids) * math.sqrt(self.d_model) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def encode(self, src):
        src_pad = padding_mask(src)
        return self.core.encoder(self._emb(src), src_key_padding_mask=src_pad), src_pad

    def decode(self, tgt, memory, src_pad):
        tgt_mask = future_mask(tgt.size(1), tgt.device)
        h = self.core.decoder(self._emb(tgt), memory, tgt_mask=tgt_mask,
                              tgt_key_padding_mask=padding_mask(tgt),
                              memory_key_padding_mask=src_pad)
        return self.proj(h)

    def forward(self, src, tgt_in):
        memory, src_pad = self.encode(src)
        return self.decode(tgt_in, memory, src_pad)

    @torch.no_grad()
    def correct(self, src, max_len=20):
        self.eval()
        memory, src_pad = self.encode(src)
        ys = torch.full((src.size(0), 1), BOS, dtype=torch.long)
        for _ in range(max_len):
            nxt = self.decode(ys, memory, src_pad)[:, -1].argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], dim=1)
            if (nxt == EOS).all():
                break
        return ys
