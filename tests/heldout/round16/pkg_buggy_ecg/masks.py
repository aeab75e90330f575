import torch


def extended_attention_mask(beat_mask, dtype=torch.float32):
    """HF-style additive mask: (B, 1, 1, S), 0 for real beats, large negative for padding."""
    ext = beat_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min
