"""The same models with the masks in the right parameters (keywords, or correct positions)."""
import torch
import torch.nn as nn


class SASRecBlock(nn.Module):
    def __init__(self, hidden_units=64, num_heads=2, maxlen=200):
        super().__init__()
        self.attn = nn.MultiheadAttention(hidden_units, num_heads, dropout=0.2, batch_first=True)
        self.norm = nn.LayerNorm(hidden_units)
        future = torch.triu(torch.ones(maxlen, maxlen, dtype=torch.bool), diagonal=1)
        self.register_buffer("future", future)

    def forward(self, seqs, item_pad):
        T = seqs.size(1)
        q = self.norm(seqs)
        out, _ = self.attn(q, seqs, seqs, item_pad, False, self.future[:T, :T])
        out2, _ = self.attn(q, seqs, seqs, attn_mask=self.future[:T, :T], key_padding_mask=item_pad)
        return seqs + out + out2


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
        h = self.encoder(self.embed(tokens), None, padding)
        return self.head(h[:, 0])
