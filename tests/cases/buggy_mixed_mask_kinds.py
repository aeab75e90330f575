# masklint-test: select=ML204
"""A float (0 / -inf) causal mask next to a bool padding mask in one call (P2-5, P2-6).

torch computes this correctly but warns "Support for mismatched key_padding_mask and attn_mask
is deprecated"; ML204 is opt-in for that reason.
"""
import torch
import torch.nn as nn


class PeptideDecoder(nn.Module):
    def __init__(self, vocab=28, d_model=512, nhead=8, layers=9):
        super().__init__()
        self.aa = nn.Embedding(vocab, d_model, padding_idx=0)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 1024, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.final = nn.Linear(d_model, vocab)

    def forward(self, tokens, memory, mem_pad):
        tgt = self.aa(tokens)
        tgt_pad = tokens == 0
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tokens.size(1), device=tokens.device)
        h = self.decoder(tgt, memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=mem_pad)  # expect: ML204
        return self.final(h)


class SummedPaddingDecoder(nn.Module):
    """The padding mask comes from a reduction of the embeddings: still a bool mask (P2-5)."""

    def __init__(self, d=32, nhead=4):
        super().__init__()
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, batch_first=True), 1)

    def forward(self, tgt, memory):
        tgt_key_padding_mask = tgt.sum(axis=2) == 0
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1])
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_key_padding_mask)  # expect: ML204
