"""Correct: scores written by hand in a file that never names what it hides: two finfo.min biases
combined with torch.minimum, or summed and clamped back into range."""
import torch
import torch.nn as nn

NEG = torch.finfo(torch.float32).min


def pair_bias(empty):
    side = empty.float() * NEG
    return torch.minimum(side[:, None, :], side[:, :, None])


def slot_scores(q, k, lengths):
    empty = torch.arange(q.size(1))[None, :] >= lengths[:, None]
    low = torch.where(empty, NEG, 0.0)
    both = (low[:, None, :] + low[:, :, None]).clamp(min=NEG)
    return (q @ k.transpose(-1, -2) + both).softmax(-1)


class SlotMixer(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, empty):
        q, k, v = self.qkv(x).chunk(3, -1)
        weights = (q @ k.transpose(-1, -2) / q.size(-1) ** 0.5 + pair_bias(empty)).softmax(-1)
        return weights @ v


if __name__ == "__main__":
    empty = torch.tensor([[False, False, True], [True, True, True]])
    print(SlotMixer()(torch.randn(2, 3, 16), empty))
