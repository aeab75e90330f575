import torch


def missing_value_mask(missing: torch.Tensor) -> torch.Tensor:
    """(B, F) missing flags -> (B, F+1, F+1) attention mask with a leading [CLS] token.

    True = blocked. Missing feature tokens are never read; [CLS] is always readable.
    """
    B, F = missing.shape
    key_blocked = torch.cat([missing.new_zeros(B, 1), missing], 1)
    return key_blocked[:, None, :].expand(B, F + 1, F + 1)


def per_head(mask: torch.Tensor, num_heads: int) -> torch.Tensor:
    """Stack a per-sample mask for nn.MultiheadAttention's (B * heads, L, S) layout."""
    return torch.cat([mask] * num_heads, dim=0)  # expect: ML302
