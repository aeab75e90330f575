"""Mask conversions shared by the genomics models."""
import torch


def as_bool_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """Attention kernels want bool masks, not the tokenizer's int64 ones."""
    return attention_mask.to(torch.bool)


def masked_mean(h: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    w = attention_mask.unsqueeze(-1).to(h.dtype)
    return (h * w).sum(1) / w.sum(1).clamp_min(1.0)
