import torch


def note_causal_mask(n, device=None):
    return torch.triu(torch.ones(n, n, device=device), diagonal=1)  # BUG: 0/1 float mask; the decoder adds it to the scores (+1 on future notes) instead of blocking them
