"""Speech recogniser: the encoder hides padded frames, the decoder is not told which they are."""
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
        return self.decoder(tokens, encoded)  # expect: ML502
