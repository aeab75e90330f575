"""Correct: a detection head whose image mask is True at each image's real pixels (a box at the top
left of the padded canvas), downsampled and flattened, given as memory_key_padding_mask (True =
ignored) after it is inverted: object queries attend to the real pixels only."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


class Head(nn.Module):
    def __init__(self, d=16, queries=3):
        super().__init__()
        self.backbone = nn.Conv2d(3, d, 4, stride=4)
        self.query = nn.Embedding(queries, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, 2, 32, 0.1, batch_first=True), 1)

    def forward(self, pixels, valid):
        feat = self.backbone(pixels)
        small = F.interpolate(valid[:, None].float(), size=feat.shape[-2:]).to(torch.bool)[:, 0]
        memory = feat.flatten(2).transpose(1, 2)
        tgt = self.query.weight[None].expand(pixels.size(0), -1, -1)
        return self.decoder(tgt, memory, memory_key_padding_mask=~small.flatten(1))


def run():
    torch.manual_seed(0)
    pixels = torch.zeros(2, 3, 16, 16)
    valid = torch.zeros(2, 16, 16, dtype=torch.bool)
    for i, (h, w) in enumerate([(12, 8), (16, 12)]):
        pixels[i, :, :h, :w] = torch.randn(3, h, w)
        valid[i, :h, :w] = True
    out = Head().train()(pixels, valid)
    out.sum().backward()
    return (out.detach(),)
