import torch


def candidate_mask(lengths, max_len):
    """(batch, max_len) bool, True at real candidates."""
    slots = torch.arange(max_len, device=lengths.device)
    return slots[None, :] < lengths[:, None]


def airmass(alt_deg):
    return 1.0 / torch.sin(torch.deg2rad(alt_deg.clamp(min=10.0)))
