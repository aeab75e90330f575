# EXPECT: ok
"""nn.Transformer translation with all masks in PyTorch's block convention:
generate_square_subsequent_mask(T, dtype=torch.bool), bool src/tgt padding
masks, and memory_key_padding_mask = the source padding mask.  Batch 7,
source 9, target 6."""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F

CFG = SimpleNamespace(src_vocab=64, tgt_vocab=58, d_model=32, nhead=4, enc=2, dec=2, ff=64,
                      dropout=0.1, pad=0, bos=1)


class NMT(nn.Module):
    def __init__(self, cfg=CFG):
        super().__init__()
        self.cfg = cfg
        self.src_tok = nn.Embedding(cfg.src_vocab, cfg.d_model, padding_idx=cfg.pad)
        self.tgt_tok = nn.Embedding(cfg.tgt_vocab, cfg.d_model, padding_idx=cfg.pad)
        self.pos = nn.Embedding(32, cfg.d_model)
        self.transformer = nn.Transformer(cfg.d_model, cfg.nhead, cfg.enc, cfg.dec, cfg.ff,
                                          cfg.dropout, batch_first=True)
        self.generator = nn.Linear(cfg.d_model, cfg.tgt_vocab)

    def forward(self, src, tgt):
        pad = self.cfg.pad
        src_kpm, tgt_kpm = src.eq(pad), tgt.eq(pad)
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        s = self.src_tok(src) + self.pos(torch.arange(src.size(1)))
        t = self.tgt_tok(tgt) + self.pos(torch.arange(tgt.size(1)))
        h = self.transformer(s, t, tgt_mask=tgt_mask, src_key_padding_mask=src_kpm,
                             tgt_key_padding_mask=tgt_kpm, memory_key_padding_mask=src_kpm)
        return self.generator(h)


def make_batch(gen, cfg=CFG):
    src_lens = [9, 4, 9, 6, 2, 8, 9]
    tgt_lens = [5, 3, 6, 4, 2, 6, 5]
    src = torch.full((7, 9), cfg.pad)
    tgt = torch.full((7, 7), cfg.pad)
    for i, (a, b) in enumerate(zip(src_lens, tgt_lens)):
        src[i, :a] = torch.randint(2, cfg.src_vocab, (a,), generator=gen)
        tgt[i, 0] = cfg.bos
        tgt[i, 1:b + 1] = torch.randint(2, cfg.tgt_vocab, (b,), generator=gen)
    return src, tgt


def run():
    torch.manual_seed(106)
    src, tgt = make_batch(torch.Generator().manual_seed(1))
    model = NMT()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4, betas=(0.9, 0.98))
    model.train()
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, CFG.tgt_vocab), tgt[:, 1:].reshape(-1),
                           ignore_index=CFG.pad, label_smoothing=0.1)
    opt.zero_grad()
    loss.backward()
    g = model.generator.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(src, tgt[:, :-1])
    return [loss.detach(), g, ev]
