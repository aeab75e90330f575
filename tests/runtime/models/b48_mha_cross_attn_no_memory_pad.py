"""Buggy: a captioning head runs nn.MultiheadAttention over the output of an nn.TransformerEncoder
that masked padded regions, with no key_padding_mask: the padded regions are attended."""
import torch
import torch.nn as nn

KIND = "buggy"


class Captioner(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 2, 32, 0.1, batch_first=True), 1,
                                             enable_nested_tensor=False)
        self.words = nn.Embedding(20, d)
        self.cross = nn.MultiheadAttention(d, 2, batch_first=True)

    def forward(self, regions, region_pad, tokens):
        memory = self.encoder(regions, src_key_padding_mask=region_pad)
        w = self.words(tokens)
        return self.cross(w, memory, memory)[0]  # expect: ML502


def run():
    torch.manual_seed(0)
    m = Captioner().train()
    regions = torch.randn(2, 5, 16)
    region_pad = torch.tensor([[False] * 5, [False, False, True, True, True]])
    out = m(regions, region_pad, torch.tensor([[1, 2, 3], [4, 5, 6]]))
    out.sum().backward()
    return (out.detach(),)
