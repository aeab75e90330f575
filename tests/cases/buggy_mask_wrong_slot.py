"""Masks passed positionally into the wrong parameter.

nn.MultiheadAttention.forward(query, key, value, key_padding_mask, need_weights, attn_mask, ...):
a 4th positional argument is the *key padding* mask.  nn.TransformerEncoder.forward(src, mask,
src_key_padding_mask): a 2nd positional argument is the *attention* mask.
"""
import torch
import torch.nn as nn


class SASRecBlock(nn.Module):
    def __init__(self, hidden_units=64, num_heads=2, maxlen=200):
        super().__init__()
        self.attn = nn.MultiheadAttention(hidden_units, num_heads, dropout=0.2, batch_first=True)
        self.norm = nn.LayerNorm(hidden_units)
        future = torch.triu(torch.ones(maxlen, maxlen, dtype=torch.bool), diagonal=1)
        self.register_buffer("future", future)

    def forward(self, seqs):
        T = seqs.size(1)
        q = self.norm(seqs)
        out, _ = self.attn(q, seqs, seqs, self.future[:T, :T])  # expect: ML501
        return seqs + out


class ReviewClassifier(nn.Module):
    def __init__(self, vocab_size, d_model=128, nhead=4, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(d_model, 2)

    def forward(self, tokens):
        padding = tokens == self.pad_idx
        h = self.encoder(self.embed(tokens), padding)  # expect: ML501
        return self.head(h[:, 0])
