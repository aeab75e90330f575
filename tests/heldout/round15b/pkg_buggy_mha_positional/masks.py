import torch


def causal_additive(n, device=None, dtype=torch.float32):
    return torch.triu(torch.full((n, n), float("-inf"), device=device, dtype=dtype), diagonal=1)
