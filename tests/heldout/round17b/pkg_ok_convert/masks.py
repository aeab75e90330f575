"""All masks here use one convention: True = may be attended."""
import torch


def valid_steps(lengths, n):
    return torch.arange(n, device=lengths.device)[None, :] < lengths[:, None]


def causal_keep(n, device=None):
    return torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))


def recent_keep(n, window, device=None):
    """Causal keep mask limited to the last ``window`` steps."""
    pos = torch.arange(n, device=device)
    return causal_keep(n, device) & (pos[:, None] - pos[None, :] < window)


def for_torch_mha(keep):
    """nn.MultiheadAttention / Transformer* read True as 'do not attend'."""
    return ~keep


def for_sdpa(keep):
    """scaled_dot_product_attention reads True as 'attend'."""
    return keep


def describe(keep):
    return f"{tuple(keep.shape)} {keep.float().mean().item():.0%} visible"
