"""Layers kept in ModuleDicts inside a ModuleList (built with dict(...) or a dict display), and
masks of observed cells (`x != NA`, `!= MISSING_ID`): the attention calls and the masks are seen."""
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
        applicable = (x_cat != NA).float()
        mask = applicable[:, None, :].expand(-1, x_cat.size(1), -1).repeat_interleave(self.heads, dim=0)
        for layer in self.layers:
            h = h + layer["attn"](layer["ln"](h), h, h, attn_mask=mask)[0]  # expect: ML202
        return h


class FieldEncoder(nn.Module):
    def __init__(self, d=32, depth=2):
        super().__init__()
        self.blocks = nn.ModuleList([nn.ModuleDict({"mix": nn.MultiheadAttention(d, 4, batch_first=True)})
                                     for _ in range(depth)])

    def forward(self, h, field_ids):
        observed = field_ids != MISSING_ID
        for block in self.blocks:
            h = block["mix"](h, h, h, key_padding_mask=observed)[0]  # expect: ML101
        return h
