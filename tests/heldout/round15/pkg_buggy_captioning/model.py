import torch
from torch import nn

from .decoder import CaptionDecoder
from .regions import RegionEncoder, pad_regions


class Captioner(nn.Module):
    def __init__(self, vocab=100, feat_dim=32, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.feat_dim = feat_dim
        self.encoder = RegionEncoder(feat_dim, d_model, nhead, layers)
        self.decoder = CaptionDecoder(vocab, d_model, nhead, layers)

    def forward(self, region_list, box_list, words):
        feats, is_pad = pad_regions(region_list, self.feat_dim)
        boxes, _ = pad_regions(box_list, 4)
        memory = self.encoder(feats, boxes, is_pad)
        return self.decoder(words, memory)

    @torch.no_grad()
    def greedy(self, region_list, box_list, bos=1, steps=6):
        words = torch.full((len(region_list), 1), bos, dtype=torch.long)
        for _ in range(steps):
            nxt = self(region_list, box_list, words)[:, -1].argmax(-1, keepdim=True)
            words = torch.cat([words, nxt], 1)
        return words
