import torch
from torch import nn
import torch.nn.functional as F

from .decoder import CaptionDecoder
from .masks import subsequent_mask


class PatchEncoder(nn.Module):
    def __init__(self, patch=4, d_model=32):
        super().__init__()
        self.proj = nn.Conv2d(3, d_model, patch, stride=patch)

    def forward(self, images):
        return self.proj(images).flatten(2).transpose(1, 2)


class Captioner(nn.Module):
    def __init__(self, vocab=50, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.encoder = PatchEncoder(d_model=d_model)
        self.decoder = CaptionDecoder(vocab, d_model, nhead, num_layers)

    def forward(self, images, words):
        memory = self.encoder(images)
        mask = subsequent_mask(words.size(1), words.device)
        return self.decoder(words, memory, mask)

    def loss(self, images, captions):
        logits = self(images, captions[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), captions[:, 1:].reshape(-1))

    @torch.no_grad()
    def caption(self, images, bos=1, steps=5):
        words = torch.full((images.size(0), 1), bos, dtype=torch.long)
        for _ in range(steps):
            nxt = self(images, words)[:, -1].argmax(-1, keepdim=True)
            words = torch.cat([words, nxt], 1)
        return words
