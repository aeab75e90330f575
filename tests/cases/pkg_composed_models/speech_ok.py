"""The same recogniser, handing the decoder which frames are padding."""
import torch
from torch import nn

from .decoders import TextDecoder
from .encoders import AudioEncoder


class Recogniser(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = AudioEncoder()
        self.decoder = TextDecoder()

    def forward(self, frames, lengths, tokens):
        encoded = self.encoder(frames, lengths)
        padded = torch.arange(frames.size(1), device=frames.device)[None, :] >= lengths[:, None]
        return self.decoder(tokens, encoded, padded)
