# EXPECT: ok nn.Transformer gets every mask as bool in its own convention: generate_square_subsequent_mask(..., dtype=torch.bool) (True above the diagonal = blocked) plus src/tgt/memory key padding masks (True = pad), with tgt_is_causal=True matching the mask.
"""Batch-first seq2seq model (e.g. a code summariser) on nn.Transformer, in the style of the PyTorch nn.Transformer docs with bool masks throughout."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


class Seq2Seq(nn.Module):
    def __init__(self, vocab=45, d=32, heads=4, layers=2, ff=64, p=0.1):
        super().__init__()
        self.d = d
        self.src_emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(32, d)
        self.transformer = nn.Transformer(d, heads, layers, layers, ff, p, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def embed(self, emb, ids):
        return emb(ids) * math.sqrt(self.d) + self.pos(torch.arange(ids.size(1)))[None]

    def forward(self, src, tgt):
        src_pad = src == PAD
        tgt_pad = tgt == PAD
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        h = self.transformer(
            self.embed(self.src_emb, src), self.embed(self.tgt_emb, tgt),
            tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
            tgt_is_causal=True,
        )
        return self.out(h)


def pad_batch(seqs):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), PAD)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = torch.tensor(s)
    return out


def run():
    torch.manual_seed(0)
    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    src = pad_batch([[5, 6, 7, 8, 9, 2], [10, 11, 2], [12, 13, 14, 2]])
    tgt = pad_batch([[1, 20, 21, 2], [1, 22, 2], [1, 23, 24, 25, 2]])
    model.train()
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        s = pad_batch([[7, 8, 2], [30, 31, 32, 33, 2]])
        ys = torch.full((2, 1), BOS)
        for _ in range(4):
            logits = model(s, ys)
            ys = torch.cat([ys, logits[:, -1].argmax(-1, keepdim=True)], 1)
    return [loss.detach(), *grads, ys, logits[:, -1]]
