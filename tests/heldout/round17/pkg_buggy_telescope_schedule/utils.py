import torch


def padding_mask(lengths, max_len):
    """(batch, max_len) bool, True at padding slots of the candidate list."""
    slots = torch.arange(max_len, device=lengths.device)
    return slots[None, :] >= lengths[:, None]


def airmass(alt_deg):
    """Plane-parallel airmass, clipped near the horizon."""
    return 1.0 / torch.sin(torch.deg2rad(alt_deg.clamp(min=10.0)))
