"""Encoder outputs used as memory the right way: the cross-attention gets the encoder's padding
mask, or the encoder had no padding to hide, or the output is attended by itself."""
import torch
import torch.nn as nn


class TextEncoder(nn.Module):
    def __init__(self, vocab=100, d=32, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, ids):
        pad = ids.eq(self.pad_id)
        return self.enc(self.tok(ids), src_key_padding_mask=pad), pad


class CrossBlock(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.refine = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, x, context, context_pad):
        x = x + self.attn(x, context, context, key_padding_mask=context_pad, need_weights=False)[0]
        return x + self.refine(x, x, x, need_weights=False)[0]


class ImageEncoder(nn.Module):
    """Patches of a fixed grid: nothing is padded, nothing to hide."""

    def __init__(self, d=32):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, patches):
        return self.layer(patches)


class Captioner(nn.Module):
    def __init__(self, vocab=50, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, 4, batch_first=True), 2)

    def forward(self, tokens, memory):
        causal = nn.Transformer.generate_square_subsequent_mask(tokens.size(1))
        return self.dec(self.emb(tokens), memory, tgt_mask=causal)


if __name__ == "__main__":
    ids = torch.tensor([[5, 6, 7, 0], [8, 0, 0, 0]])
    memory, memory_pad = TextEncoder()(ids)
    out = CrossBlock()(torch.randn(2, 9, 32), memory, memory_pad)
    caption = Captioner()(torch.tensor([[1, 2, 3], [1, 4, 0]]), ImageEncoder()(torch.randn(2, 16, 32)))
