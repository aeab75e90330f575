import torch


def extended_attention_mask(epoch_mask, dtype=torch.float32):
    """(B, 1, 1, S) additive mask from a 1/0 keep mask."""
    ext = epoch_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min
