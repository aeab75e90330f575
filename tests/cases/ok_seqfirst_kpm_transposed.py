"""Sequence-first encoder where the padding mask is transposed to (N, S)."""
import torch.nn as nn


class SeqFirstEncoder(nn.Module):
    def __init__(self, vocab=1000, d_model=64, nhead=4, layers=2, pad_id=1):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(d_model, nhead, 128, 0.0) for _ in range(layers)])
        self.attn_pool = nn.MultiheadAttention(d_model, nhead)

    def forward(self, x):
        # x: (S, N) token ids
        pad_mask = (x == self.pad_id).transpose(0, 1)
        h = self.embed(x)
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=pad_mask)
        summary = h.mean(0, keepdim=True)
        pooled, _ = self.attn_pool(summary, h, h, key_padding_mask=x.t().eq(self.pad_id))
        return pooled.squeeze(0)
