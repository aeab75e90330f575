import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import DecoderBlock, EncoderBlock


class Translator(nn.Module):
    def __init__(self, vocab=100, d=64, h=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.ModuleList([EncoderBlock(d, h) for _ in range(2)])
        self.dec = nn.ModuleList([DecoderBlock(d, h) for _ in range(2)])
        self.out = nn.Linear(d, vocab)

    def forward(self, src, tgt_in):
        x = self.emb(src)
        for blk in self.enc:
            x = blk(x)
        y = self.emb(tgt_in)
        for blk in self.dec:
            y = blk(y, x)
        return self.out(y)

    def loss(self, src, tgt):
        logits = self(src, tgt[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=self.pad_id)

    @torch.no_grad()
    def translate(self, src, bos=1, steps=10):
        ys = torch.full((src.size(0), 1), bos)
        for _ in range(steps):
            ys = torch.cat([ys, self(src, ys)[:, -1:].argmax(-1)], dim=1)
        return ys
