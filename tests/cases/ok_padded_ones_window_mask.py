"""The same windows used the right way round: the padding is what gets filled."""
import torch
import torch.nn.functional as F


def halo_attention_1d(sim, b, n, halo, block):
    valid = torch.ones(b, 1, n, device=sim.device)
    valid = F.pad(valid, (halo, halo)).unfold(2, block + 2 * halo, block)
    valid = valid.reshape(-1, 1, 1, valid.shape[-1]).bool()
    sim.masked_fill_(~valid, -torch.finfo(sim.dtype).max)
    return sim.softmax(dim=-1)


def padded_keys(scores, n, left, right):
    real = F.pad(torch.ones(1, n, dtype=torch.bool), (left, right))
    return torch.where(real, scores, float("-inf")).softmax(-1)


def cls_column(keep):
    # a CLS column padded in with the keep mask's own value: still the same keep mask
    keep = F.pad(keep, (1, 0), value=True)
    return keep
