"""Translator on nn.Transformer with every mask and a greedy decoder."""
import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, src_vocab=1000, tgt_vocab=1000, d_model=64, nhead=4, layers=2, pad_idx=0, bos_idx=1):
        super().__init__()
        self.pad_idx, self.bos_idx = pad_idx, bos_idx
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=pad_idx)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=pad_idx)
        self.core = nn.Transformer(d_model, nhead, layers, layers, 128, 0.0, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)

    @staticmethod
    def causal(size, device):
        return torch.ones(size, size, dtype=torch.bool, device=device).triu(1)

    def forward(self, src, tgt):
        src_pad = src == self.pad_idx
        tgt_pad = tgt == self.pad_idx
        out = self.core(
            self.src_emb(src),
            self.tgt_emb(tgt),
            tgt_mask=self.causal(tgt.size(1), tgt.device),
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
        )
        return self.generator(out)

    @torch.no_grad()
    def translate(self, src, max_len=20):
        src_pad = src == self.pad_idx
        memory = self.core.encoder(self.src_emb(src), src_key_padding_mask=src_pad)
        ys = torch.full((src.size(0), 1), self.bos_idx, dtype=torch.long, device=src.device)
        for _ in range(max_len):
            h = self.core.decoder(self.tgt_emb(ys), memory, tgt_mask=self.causal(ys.size(1), ys.device), memory_key_padding_mask=src_pad)
            nxt = self.generator(h[:, -1]).argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], dim=1)
        return ys
