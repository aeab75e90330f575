import torch


def subsequent_mask(size, device=None):
    mask = torch.empty(size, size, dtype=torch.bool, device=device)
    mask.fill_(True)
    mask.tril_()
    return mask
