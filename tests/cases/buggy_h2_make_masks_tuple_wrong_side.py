"""Seq2seq with a make_masks helper returning a tuple."""
import torch
import torch.nn as nn

PAD = 0


def make_masks(src, tgt):
    src_pad = src.eq(PAD)
    tgt_pad = tgt.eq(PAD)
    T = tgt.size(1)
    tgt_causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tgt.device), diagonal=1)
    return src_pad, tgt_pad, tgt_causal


class NMT(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d=512):
        super().__init__()
        self.se = nn.Embedding(src_vocab, d)
        self.te = nn.Embedding(tgt_vocab, d)
        self.tf = nn.Transformer(d, 8, 3, 3, batch_first=True)
        self.gen = nn.Linear(d, tgt_vocab)

    def forward(self, src, tgt):
        src_pad, tgt_pad, tgt_causal = make_masks(src, tgt)
        out = self.tf(
            self.se(src), self.te(tgt),
            tgt_mask=tgt_causal,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=tgt_pad,  # expect: ML503
        )
        return self.gen(out)
