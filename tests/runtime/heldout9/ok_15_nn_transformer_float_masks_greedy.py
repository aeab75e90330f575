# EXPECT: clean
"""Imitates the PyTorch seq2seq tutorials with nn.Transformer where every mask is
float: Transformer.generate_square_subsequent_mask for the target (0 / -inf) and
additive float key-padding masks (0 / -inf) for source, target and memory, plus
a per-sample-correct batched greedy decoder (finished rows keep emitting PAD)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


def float_padding_mask(tokens):
    return torch.zeros(tokens.shape).masked_fill(tokens.eq(PAD), float("-inf"))


class Seq2Seq(nn.Module):
    def __init__(self, src_vocab=30, tgt_vocab=30, d=32, nhead=4, layers=2, dropout=0.1, max_len=24):
        super().__init__()
        self.d = d
        self.src_emb = nn.Embedding(src_vocab, d, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.transformer = nn.Transformer(d, nhead, layers, layers, 2 * d, dropout, batch_first=True)
        self.out = nn.Linear(d, tgt_vocab)

    def embed(self, emb, tokens):
        return emb(tokens) * math.sqrt(self.d) + self.pos(torch.arange(tokens.size(1)))

    def forward(self, src, tgt):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1))
        src_pad = float_padding_mask(src)
        tgt_pad = float_padding_mask(tgt)
        h = self.transformer(
            self.embed(self.src_emb, src), self.embed(self.tgt_emb, tgt),
            tgt_mask=tgt_mask, src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad, tgt_is_causal=True,
        )
        return self.out(h)


def pad_batch(seqs):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = s
    return out


def make_pairs(g, lens):
    src = [torch.cat([torch.randint(3, 30, (n,), generator=g), torch.tensor([EOS])]) for n in lens]
    tgt = [torch.cat([torch.tensor([BOS]), s[:-1].flip(0), torch.tensor([EOS])]) for s in src]  # reversal task
    return pad_batch(src), pad_batch(tgt)


@torch.no_grad()
def greedy_decode(model, src, max_len=6):
    ys = torch.full((src.size(0), 1), BOS, dtype=torch.long)
    done = torch.zeros(src.size(0), dtype=torch.bool)
    for _ in range(max_len):
        logits = model(src, ys)[:, -1]
        nxt = logits.argmax(-1).masked_fill(done, PAD)
        ys = torch.cat([ys, nxt[:, None]], dim=1)
        done |= nxt.eq(EOS)
    return ys


def run():
    torch.manual_seed(0)
    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(173)
    src, tgt = make_pairs(g, [7, 3, 5, 9])

    model.train()
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 30), tgt[:, 1:].reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    src2, _ = make_pairs(g, [4, 8, 2])
    ys = greedy_decode(model, src2)
    return [loss.detach(), *grads, ys]
