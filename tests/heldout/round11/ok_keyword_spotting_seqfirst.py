"""Keyword spotting over MFCC frames; the legacy pipeline keeps tensors time-major (T, B, F)."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


def collate(clips):
    feats = pad_sequence([c for c, _ in clips])
    lens = torch.tensor([len(c) for c, _ in clips])
    frame_pad = torch.arange(feats.size(0))[:, None] >= lens[None, :]
    return feats, frame_pad, torch.tensor([y for _, y in clips])


class KWSTransformer(nn.Module):
    def __init__(self, n_mfcc=40, d=96, heads=4, layers=3, n_keywords=12):
        super().__init__()
        self.proj = nn.Linear(n_mfcc, d)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, 0.1)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d, n_keywords)

    def forward(self, feats, frame_pad):
        T, B, _ = feats.shape
        x = torch.cat([self.cls.expand(1, B, -1), self.proj(feats)], dim=0)
        kpm = torch.cat([frame_pad.new_zeros(1, B), frame_pad], dim=0).transpose(0, 1)
        h = self.encoder(x, src_key_padding_mask=kpm)
        return self.out(h[0])


if __name__ == "__main__":
    clips = [(torch.randn(98, 40), 3), (torch.randn(61, 40), 0), (torch.randn(80, 40), 7)]
    feats, frame_pad, y = collate(clips)
    model = KWSTransformer()
    loss = nn.functional.cross_entropy(model(feats, frame_pad), y)
    loss.backward()
    print(loss.item())
