import torch
from torch import nn


def command_padding(tokens, pad_id=0):
    return tokens == pad_id


def autoregressive_mask(n, device=None):
    return nn.Transformer.generate_square_subsequent_mask(n, device=device, dtype=torch.bool)
