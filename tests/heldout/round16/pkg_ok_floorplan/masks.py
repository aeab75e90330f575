import torch


def non_adjacent(door_adj):
    """(B, R, R) bool: True where two rooms share no door (and are distinct)."""
    r = door_adj.size(-1)
    eye = torch.eye(r, dtype=torch.bool, device=door_adj.device)
    return ~(door_adj | eye)


def per_head(mask, heads):
    return mask.repeat_interleave(heads, dim=0)
