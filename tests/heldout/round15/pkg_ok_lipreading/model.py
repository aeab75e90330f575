import torch
from torch import nn

from .collate import LipBatch


class LipReader(nn.Module):
    def __init__(self, feat_dim=32, vocab=40, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.front = nn.Linear(feat_dim, d_model)
        self.tok = nn.Embedding(vocab, d_model, padding_idx=0)
        self.pos = nn.Embedding(256, d_model)
        self.seq2seq = nn.Transformer(d_model, nhead, layers, layers, 2 * d_model, 0.0, batch_first=True)
        self.cls = nn.Linear(d_model, vocab)

    def forward(self, b: LipBatch):
        S, T = b.frames.size(1), b.text_in.size(1)
        src = self.front(b.frames) + self.pos(torch.arange(S))
        tgt = self.tok(b.text_in) + self.pos(torch.arange(T))
        look_ahead = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        h = self.seq2seq(
            src,
            tgt,
            tgt_mask=look_ahead,
            src_key_padding_mask=b.frame_pad,
            tgt_key_padding_mask=b.text_pad,
            memory_key_padding_mask=b.frame_pad,
            tgt_is_causal=True,
        )
        return self.cls(h)
