import torch

COMPETITION_RADIUS_M = 10.0


def competition_mask(xy, tree_pad, heads):
    """Bool (batch*heads, trees, trees): True where two trees are too far apart to compete.

    Padding slots are left unrestricted as queries; the key padding mask hides them as keys.
    """
    dist = torch.cdist(xy, xy)
    far = (dist > COMPETITION_RADIUS_M) & ~tree_pad[:, :, None]
    return far.repeat_interleave(heads, dim=0)
