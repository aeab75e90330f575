import torch
import torch.nn as nn

from .layers import CaptionDecoderLayer, caption_mask


class GridEncoder(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 4, 4), nn.ReLU(), nn.Conv2d(32, dim, 2, 2))

    def forward(self, images):
        return self.backbone(images).flatten(2).transpose(1, 2)      # (B, cells, dim)


class Captioner(nn.Module):
    def __init__(self, vocab=600, dim=64, heads=4, layers=2):
        super().__init__()
        self.encoder = GridEncoder(dim)
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(64, dim)
        self.layers = nn.ModuleList(CaptionDecoderLayer(dim, heads) for _ in range(layers))
        self.out = nn.Linear(dim, vocab)

    def forward(self, images, tokens):
        img = self.encoder(images)
        y = self.tok(tokens) + self.pos(torch.arange(tokens.size(1), device=tokens.device))
        mask = caption_mask(tokens)
        for layer in self.layers:
            y = layer(y, img, mask)
        return self.out(y)
