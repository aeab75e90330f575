"""Grapheme-to-phoneme model with explicit encoder and decoder stacks."""
import torch
import torch.nn as nn


class G2P(nn.Module):
    def __init__(self, n_graphemes=60, n_phonemes=80, d=64, heads=4, layers=2, pad=0):
        super().__init__()
        self.pad = pad
        self.g_emb = nn.Embedding(n_graphemes, d, padding_idx=pad)
        self.p_emb = nn.Embedding(n_phonemes, d, padding_idx=pad)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 2 * d, 0.0, batch_first=True), layers, enable_nested_tensor=False)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 2 * d, 0.0, batch_first=True), layers)
        self.out = nn.Linear(d, n_phonemes)

    def forward(self, graphemes, phonemes):
        g_pad = graphemes.eq(self.pad)
        L = phonemes.size(1)
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool, device=phonemes.device), diagonal=1)
        memory = self.enc(self.g_emb(graphemes), src_key_padding_mask=g_pad)
        h = self.dec(
            self.p_emb(phonemes),
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=g_pad,  # expect: ML503
            memory_key_padding_mask=g_pad,
        )
        return self.out(h)
