"""Item-sequence encoder for a recommender (SASRec-like, bidirectional)."""
import torch
import torch.nn as nn


class ItemSeqEncoder(nn.Module):
    def __init__(self, num_items=500, hidden=64, heads=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.item_emb = nn.Embedding(num_items + 1, hidden, padding_idx=pad_id)
        self.attn = nn.MultiheadAttention(hidden, heads, dropout=0.0, batch_first=True)
        self.ln = nn.LayerNorm(hidden)

    def forward(self, item_seq):
        x = self.item_emb(item_seq)
        pad_weight = torch.where(item_seq == self.pad_id, 1.0, 0.0)
        h, _ = self.attn(x, x, x, key_padding_mask=pad_weight)  # expect: ML201
        return self.ln(x + h)
