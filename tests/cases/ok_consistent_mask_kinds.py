# masklint-test: select=ML204
"""Masks of one kind per call: all bool (or all float), so even opt-in ML204 stays quiet."""
import torch
import torch.nn as nn


class PeptideDecoder(nn.Module):
    def __init__(self, vocab=28, d_model=512, nhead=8, layers=9):
        super().__init__()
        self.aa = nn.Embedding(vocab, d_model, padding_idx=0)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 1024, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.final = nn.Linear(d_model, vocab)

    def forward(self, tokens, memory, memory_tokens):
        tgt = self.aa(tokens)
        tgt_pad = tokens == 0
        mem_pad = memory_tokens == 0
        T = tokens.size(1)
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(T, device=tokens.device, dtype=torch.bool)
        h = self.decoder(tgt, memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=mem_pad)
        return self.final(h)

    def forward_float(self, tokens, memory):
        T = tokens.size(1)
        tgt_mask = torch.triu(torch.full((T, T), float("-inf"), device=tokens.device), diagonal=1)
        tgt_pad = torch.zeros(tokens.shape, device=tokens.device).masked_fill(tokens == 0, float("-inf"))
        return self.final(self.decoder(self.aa(tokens), memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_pad))
