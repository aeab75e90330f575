"""Models named like encoders that are trained and sampled as language models."""
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


class MelodyEncoder(nn.Module):
    def __init__(self, notes=90, width=64, heads=4):
        super().__init__()
        self.embed = nn.Embedding(notes, width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.out = nn.Linear(width, notes)

    def forward(self, notes):
        h = self.embed(notes)
        return self.out(self.attn(h, h, h, need_weights=False)[0])  # expect: ML401

    @torch.no_grad()
    def continue_melody(self, notes, steps=16):
        for _ in range(steps):
            nxt = self(notes)[:, -1].argmax(-1, keepdim=True)
            notes = torch.cat([notes, nxt], dim=1)
        return notes
