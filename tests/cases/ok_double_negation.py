"""Keep-style masks converted correctly for nn.MultiheadAttention."""
import torch
import torch.nn as nn


class InvertedKeepBlock(nn.Module):
    def __init__(self, d_model=64, nhead=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(100, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)

    def forward(self, ids):
        T = ids.size(1)
        keep = ids != self.pad_id
        lower = torch.ones(T, T, dtype=torch.bool, device=ids.device).tril()
        x = self.emb(ids)
        h, _ = self.attn(x, x, x, key_padding_mask=~keep, attn_mask=~lower, need_weights=False)
        return h


class TokenizerMaskBlock(nn.Module):
    def __init__(self, d_model=64, nhead=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)

    def forward(self, x, attention_mask):
        pad = attention_mask.bool().logical_not()
        pad2 = attention_mask == 0
        h, _ = self.attn(x, x, x, key_padding_mask=pad)
        h2, _ = self.attn(h, h, h, key_padding_mask=pad2)
        return h2
