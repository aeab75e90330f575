"""Copy-augmented NMT for product titles (brand names are copied)."""
import torch
import torch.nn as nn

from .masks import pad_mask, subsequent_mask


class CopyNMT(nn.Module):
    def __init__(self, vocab=1200, dim=64, heads=4, layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.src_emb = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.tgt_emb = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.transformer = nn.Transformer(dim, heads, layers, layers, 2 * dim, dropout=0.0, batch_first=True)
        self.copy_attn = nn.MultiheadAttention(dim, 1, batch_first=True)
        self.gen = nn.Linear(dim, vocab)
        self.gate = nn.Linear(2 * dim, 1)

    def forward(self, src, tgt):
        src_pad, tgt_pad = pad_mask(src, self.pad_id), pad_mask(tgt, self.pad_id)
        h = self.transformer(
            self.src_emb(src),
            self.tgt_emb(tgt),
            None,
            subsequent_mask(tgt.size(1), tgt.device),
            None,
            src_pad,
            tgt_pad,
            src_pad,
        )
        memory = self.transformer.encoder(self.src_emb(src), src_key_padding_mask=src_pad)
        ctx, copy_w = self.copy_attn(h, memory, memory, key_padding_mask=src_pad)
        gen_p = self.gen(h).softmax(-1)
        copy_p = torch.zeros_like(gen_p).scatter_add(-1, src.unsqueeze(1).expand_as(copy_w), copy_w)
        g = torch.sigmoid(self.gate(torch.cat([h, ctx], -1)))
        return (g * gen_p + (1 - g) * copy_p).clamp_min(1e-9).log()
