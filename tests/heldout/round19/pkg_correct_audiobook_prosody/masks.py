import torch


def lookahead(n, device=None):
    """Bool mask for nn.Transformer* modules: True above the diagonal = future position, not attended."""
    return torch.triu(torch.ones(n, n, dtype=torch.bool, device=device), diagonal=1)
