# EXPECT: bug
"""Annotated-Transformer style translation model ported to nn.Transformer (batch_first)."""
import math

import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


def subsequent_mask(size):
    "Mask out subsequent positions."
    return torch.tril(torch.ones(size, size))


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout, max_len=64):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * -(math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.dropout(x + self.pe[:, : x.size(1)])


class Translator(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=32, nhead=4, layers=2, dropout=0.1):
        super().__init__()
        self.src_embed = nn.Embedding(src_vocab, d_model, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)
        self.pos = PositionalEncoding(d_model, dropout)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 64, dropout, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)
        self.d_model = d_model

    def forward(self, src, tgt):
        src_pad = src.eq(PAD)
        tgt_pad = tgt.eq(PAD)
        tgt_mask = subsequent_mask(tgt.size(1)).to(src.device)
        s = self.pos(self.src_embed(src) * math.sqrt(self.d_model))
        t = self.pos(self.tgt_embed(tgt) * math.sqrt(self.d_model))
        out = self.transformer(s, t, tgt_mask=tgt_mask, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)  # BUG-SITE
        return self.generator(out)


def make_batch(n, s_len, t_len, vocab):
    src = torch.randint(3, vocab, (n, s_len))
    tgt = torch.randint(3, vocab, (n, t_len))
    for i in range(n):
        src[i, s_len - i:] = PAD
        tgt[i, t_len - 2 * i:] = PAD
    tgt[:, 0] = BOS
    return src, tgt


def run():
    torch.manual_seed(0)
    model = Translator(40, 50)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    crit = nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.1)
    src, tgt = make_batch(3, 9, 11, 40)
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    model.train()
    logits = model(src, tgt_in)
    loss = crit(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(src, tgt_in)
    return [loss.detach(), ev]
