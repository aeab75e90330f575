import math

import torch
from torch import nn

from .masks import causal, key_padding


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab=200, tgt_vocab=200, d_model=64, nhead=4, layers=2, ff=128, dropout=0.1):
        super().__init__()
        self.d_model = d_model
        self.src_tok = nn.Embedding(src_vocab, d_model)
        self.tgt_tok = nn.Embedding(tgt_vocab, d_model)
        self.pos = nn.Embedding(64, d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, ff, dropout, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def embed(self, table, ids):
        pos = torch.arange(ids.size(1), device=ids.device)
        return table(ids) * math.sqrt(self.d_model) + self.pos(pos)

    def forward(self, src, tgt_in):
        src_pad = key_padding(src)
        tgt_pad = key_padding(tgt_in)
        out = self.transformer(
            self.embed(self.src_tok, src),
            self.embed(self.tgt_tok, tgt_in),
            tgt_mask=causal(tgt_in.size(1), src.device),
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=tgt_pad,  # expect: ML503
        )
        return self.generator(out)
