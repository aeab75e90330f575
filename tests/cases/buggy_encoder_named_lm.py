"""A model named like an encoder that is trained as a language model (inputs without the last
token against targets from the second)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CodecTokenEncoder(nn.Module):
    def __init__(self, codebook=256, width=64, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(codebook, width)
        layer = nn.TransformerEncoderLayer(width, heads, 4 * width, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.to_codes = nn.Linear(width, codebook)

    def forward(self, codes):
        return self.to_codes(self.encoder(self.embed(codes)))  # expect: ML401

    def step_loss(self, codes):
        logits = self(codes[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), codes[:, 1:])

