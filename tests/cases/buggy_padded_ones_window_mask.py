"""A keep mask made by padding ones (catalogue P1-7, halonet-pytorch#4): `F.pad` of a ones tensor
is 1 at the real positions and 0 at the padding, and `Tensor.unfold` cuts it into the key windows
as they are.  Used as the masked_fill condition it hides the real keys and keeps the padding."""
import torch
import torch.nn.functional as F


def halo_attention_1d(sim, b, n, halo, block):
    valid = torch.ones(b, 1, n, device=sim.device)
    valid = F.pad(valid, (halo, halo)).unfold(2, block + 2 * halo, block)
    valid = valid.reshape(-1, 1, 1, valid.shape[-1]).bool()
    sim.masked_fill_(valid, -torch.finfo(sim.dtype).max)  # expect: ML101
    return sim.softmax(dim=-1)


def padded_keys(scores, n, left, right):
    real = F.pad(torch.ones(1, n, dtype=torch.bool), (left, right))
    return torch.where(~real, scores, float("-inf")).softmax(-1)  # expect: ML102
