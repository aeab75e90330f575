"""Scores written by hand in a file that never names what it hides: two biases filled with
finfo.min summed where a slot is empty on both sides (-inf, a NaN row after softmax)."""
import torch
import torch.nn as nn

NEG = torch.finfo(torch.float32).min


def pair_bias(empty):
    side = empty.float() * NEG
    return side[:, None, :] + side[:, :, None]  # expect: ML205


def slot_scores(q, k, lengths):
    empty = torch.arange(q.size(1))[None, :] >= lengths[:, None]
    low = torch.where(empty, NEG, 0.0)
    both = low.unsqueeze(1) + low.unsqueeze(2)  # expect: ML205
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
