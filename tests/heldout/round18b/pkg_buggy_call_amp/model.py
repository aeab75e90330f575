import torch
import torch.nn as nn

from .attention import MultiHeadedAttention


def subsequent_mask(size):
    attn_shape = (1, size, size)
    return torch.triu(torch.ones(attn_shape), diagonal=1).type(torch.uint8) == 0


class Layer(nn.Module):
    def __init__(self, d_model, h, cross=False):
        super().__init__()
        self.self_attn = MultiHeadedAttention(h, d_model)
        self.src_attn = MultiHeadedAttention(h, d_model) if cross else None
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.ReLU(), nn.Linear(2 * d_model, d_model))
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(3))

    def forward(self, x, mask, memory=None, src_mask=None):
        y = self.norms[0](x)
        x = x + self.self_attn(y, y, y, mask)
        if self.src_attn is not None:
            y = self.norms[1](x)
            x = x + self.src_attn(y, memory, memory, src_mask)
        return x + self.ff(self.norms[2](x))


class HeadlineModel(nn.Module):
    def __init__(self, vocab=500, d_model=32, h=4, n=2):
        super().__init__()
        self.src_embed = nn.Embedding(vocab, d_model)
        self.tgt_embed = nn.Embedding(vocab, d_model)
        self.encoder = nn.ModuleList(Layer(d_model, h) for _ in range(n))
        self.decoder = nn.ModuleList(Layer(d_model, h, cross=True) for _ in range(n))
        self.generator = nn.Linear(d_model, vocab)

    def encode(self, src, src_mask):
        x = self.src_embed(src)
        for layer in self.encoder:
            x = layer(x, src_mask)
        return x

    def decode(self, memory, src_mask, tgt, tgt_mask):
        x = self.tgt_embed(tgt)
        for layer in self.decoder:
            x = layer(x, tgt_mask, memory, src_mask)
        return x

    def forward(self, src, tgt, src_mask, tgt_mask):
        return self.generator(self.decode(self.encode(src, src_mask), src_mask, tgt, tgt_mask))
