"""Context-aware NMT with target-side context: the previous target sentence (`prev_tgt`) is encoded
and the decoder cross-attends to that encoding, masked with the padding of `prev_tgt` (the keys ARE
that sequence). Correct."""
import torch
import torch.nn as nn


class ContextDecoderLayer(nn.Module):
    def __init__(self, d=128, h=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.src_attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ctx_attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, y, memory, src_pad, ctx_enc, prev_tgt_pad):
        t = y.size(1)
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool, device=y.device), 1)
        y = y + self.self_attn(y, y, y, attn_mask=causal)[0]
        y = y + self.src_attn(y, memory, memory, key_padding_mask=src_pad)[0]
        y = y + self.ctx_attn(y, ctx_enc, ctx_enc, key_padding_mask=prev_tgt_pad)[0]
        return y


class ContextNMT(nn.Module):
    def __init__(self, vocab=8000, d=128, h=4, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, 4 * d, batch_first=True), 2)
        self.ctx_encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, 4 * d, batch_first=True), 1)
        self.dec = ContextDecoderLayer(d, h)
        self.out = nn.Linear(d, vocab)

    def forward(self, src, tgt_in, prev_tgt):
        src_pad = src == self.pad
        memory = self.enc(self.emb(src), src_key_padding_mask=src_pad)
        prev_tgt_pad = prev_tgt == self.pad
        ctx_enc = self.ctx_encoder(self.emb(prev_tgt), src_key_padding_mask=prev_tgt_pad)
        return self.out(self.dec(self.emb(tgt_in), memory, src_pad, ctx_enc, prev_tgt_pad))
