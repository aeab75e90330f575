"""A helper returns all masks as a tuple, but builds the padding masks as keep masks.

``tokens != pad`` is True on real tokens; every *_key_padding_mask of nn.Transformer hides
the positions that are True, so the model attends only to padding (and NaNs on rows without any).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def make_masks(src, tgt):
    T = tgt.size(1)
    tgt_mask = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tgt.device), diagonal=1)
    return tgt_mask, src != PAD, tgt != PAD


class Translator(nn.Module):
    def __init__(self, src_vocab, tgt_vocab, d_model=256, nhead=8):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=PAD)
        self.transformer = nn.Transformer(d_model, nhead, 3, 3, 1024, batch_first=True)
        self.out = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        tgt_mask, src_keep, tgt_keep = make_masks(src, tgt)
        h = self.transformer(
            self.src_emb(src),
            self.tgt_emb(tgt),
            tgt_mask=tgt_mask,
            src_key_padding_mask=src_keep,  # expect: ML101
            tgt_key_padding_mask=tgt_keep,  # expect: ML101
            memory_key_padding_mask=src_keep,  # expect: ML101
        )
        return self.out(h)


def loss_fn(model, src, tgt):
    logits = model(src, tgt[:, :-1])
    return F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=PAD)
