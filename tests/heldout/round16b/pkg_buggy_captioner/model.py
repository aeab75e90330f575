import torch
import torch.nn as nn
import torch.nn.functional as F

from .decoder import TextDecoder
from .encoder import AudioEventEncoder


class AudioCaptioner(nn.Module):
    def __init__(self, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.encoder = AudioEventEncoder()
        self.decoder = TextDecoder()

    def forward(self, mels, mel_lengths, captions):
        memory, _ = self.encoder(mels, mel_lengths)
        inp = captions[:, :-1]
        logits = self.decoder(inp, memory, inp == self.pad_id)
        return F.cross_entropy(logits.transpose(1, 2), captions[:, 1:], ignore_index=self.pad_id)


if __name__ == "__main__":
    mels = torch.randn(3, 50, 64)
    caps = torch.randint(1, 400, (3, 10))
    print(AudioCaptioner()(mels, torch.tensor([50, 30, 20]), caps).item())
