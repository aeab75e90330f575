"""Decoder layer subclass that relies on tgt_is_causal to do the masking."""
import torch
import torch.nn as nn


class CausalDecoderLayer(nn.TransformerDecoderLayer):
    def forward(self, tgt, memory, memory_key_padding_mask=None):
        return super().forward(tgt, memory, tgt_is_causal=True, memory_key_padding_mask=memory_key_padding_mask)  # expect: ML402


class Captioner(nn.Module):
    def __init__(self, vocab=10000, d=512, h=8):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([CausalDecoderLayer(d, h, batch_first=True) for _ in range(4)])
        self.out = nn.Linear(d, vocab)

    def forward(self, image_feats, captions):
        x = self.emb(captions[:, :-1])
        for layer in self.layers:
            x = layer(x, image_feats)
        return self.out(x)
