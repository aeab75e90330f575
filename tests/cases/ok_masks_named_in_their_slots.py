"""Masks known only by their names, each in its own slot: an attention mask as nn.MultiheadAttention's
attn_mask (by keyword), nn.TransformerEncoderLayer's src_mask positionally (its second argument), a
padding mask positionally in the key padding slot, and a plain `mask` (no kind in its name)."""
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.enc = nn.TransformerEncoderLayer(d, heads, batch_first=True)

    def forward(self, x, chunk_mask, pad_mask, mask):
        a = self.self_attn(x, x, x, attn_mask=chunk_mask)[0]
        b = self.self_attn(x, x, x, pad_mask)[0]
        c = self.enc(x, chunk_mask, pad_mask)
        d = self.self_attn(x, x, x, mask)[0]
        return a + b + c + d
