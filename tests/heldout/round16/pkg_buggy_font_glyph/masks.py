import torch


def same_glyph_block(glyph_ids):
    """(B, L, L) bool, True where two strokes belong to different glyphs."""
    return glyph_ids[:, :, None] != glyph_ids[:, None, :]


def per_head(mask, heads):
    return torch.cat([mask] * heads, dim=0)
