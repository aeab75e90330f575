import torch
from torch import nn


def subsequent(n):
    return torch.ones(n, n).triu(1).bool()


class Speller(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.net = nn.Transformer(d_model=d, nhead=4, num_encoder_layers=1, num_decoder_layers=1)

    def forward(self, src, tgt):
        return self.net(src, tgt, subsequent(tgt.size(0)))  # expect: ML501
