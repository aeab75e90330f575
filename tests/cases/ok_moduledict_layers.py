"""Twins of buggy_moduledict_layers: a bool block mask of the missing cells, the missing fields as
the key padding mask."""
import torch
import torch.nn as nn

NA = 0
MISSING_ID = 1


class TabTransformer(nn.Module):
    def __init__(self, d=32, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.layers = nn.ModuleList(
            nn.ModuleDict(dict(attn=nn.MultiheadAttention(d, heads, batch_first=True), ln=nn.LayerNorm(d)))
            for _ in range(depth)
        )

    def forward(self, h, x_cat):
        missing = x_cat == NA
        mask = missing[:, None, :].expand(-1, x_cat.size(1), -1).repeat_interleave(self.heads, dim=0)
        for layer in self.layers:
            h = h + layer["attn"](layer["ln"](h), h, h, attn_mask=mask)[0]
        return h


class FieldEncoder(nn.Module):
    def __init__(self, d=32, depth=2):
        super().__init__()
        self.blocks = nn.ModuleList([nn.ModuleDict({"mix": nn.MultiheadAttention(d, 4, batch_first=True)})
                                     for _ in range(depth)])

    def forward(self, h, field_ids):
        absent = field_ids == MISSING_ID
        for block in self.blocks:
            h = block["mix"](h, h, h, key_padding_mask=absent)[0]
        return h
