"""Correct: an inpainting encoder whose key padding mask is True on a box of patches to hide (at
the top left of each image), flattened: the hidden patches are ignored, as the mask says."""
import torch
import torch.nn as nn

KIND = "correct"


class Inpainter(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.patch = nn.Conv2d(3, d, 4, stride=4)
        self.attn = nn.MultiheadAttention(d, 2, batch_first=True)

    def forward(self, pixels, hide):
        x = self.patch(pixels).flatten(2).transpose(1, 2)
        return self.attn(x, x, x, key_padding_mask=hide.flatten(1), need_weights=False)[0]


def run():
    torch.manual_seed(0)
    pixels = torch.randn(2, 3, 16, 16)
    hide = torch.zeros(2, 4, 4, dtype=torch.bool)
    for i, (h, w) in enumerate([(2, 2), (1, 3)]):
        hide[i, :h, :w] = True
    out = Inpainter()(pixels, hide)
    out.sum().backward()
    return (out.detach(),)
