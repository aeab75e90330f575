"""`x == 0` is a padding mask when the method hands `x` to one of the model's embedding tables,
whatever `x` is called (chords, notes, residues)."""
import torch
import torch.nn.functional as F
from torch import nn


class Harmony(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.chord_table = nn.Embedding(24, dim, padding_idx=0)
        self.note_table = nn.Embedding(90, dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.heads = heads

    def forward(self, chords):
        x = self.chord_table(chords)
        return self.attn(x, x, x, key_padding_mask=~(chords == 0))[0]  # expect: ML101

    def melody(self, notes):
        x = self.note_table(notes)
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        blank = (notes == 0)[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=blank)  # expect: ML102

    def fixed(self, chords):
        x = self.chord_table(chords)
        return self.attn(x, x, x, key_padding_mask=chords == 0)[0]
