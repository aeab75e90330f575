"""Buggy: a keep mask (tokens != pad) handed to a block whose nn.TransformerEncoderLayer reads
src_key_padding_mask as True = ignore. The linter reports where the caller passes the mask in;
the runtime confirms it at the layer call. Every sample is padded, so no row is left empty."""
import torch
import torch.nn as nn

KIND = "buggy"
PAD = 0


class Block(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(dim, heads, 32, dropout=0.1, batch_first=True)

    def forward(self, h, mask):
        return self.layer(h, src_key_padding_mask=mask)  # expect: ML101


class Tagger(nn.Module):
    def __init__(self, vocab=40, dim=16):
        super().__init__()
        self.pad_id = PAD
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.blocks = nn.ModuleList([Block(dim) for _ in range(2)])
        self.head = nn.Linear(dim, 5)

    def forward(self, tokens):
        real = tokens != self.pad_id
        h = self.emb(tokens)
        for block in self.blocks:
            h = block(h, real)
        return self.head(h)


def run():
    torch.manual_seed(0)
    tokens = torch.tensor([[5, 6, 7, 8, 0, 0], [9, 3, 4, 0, 0, 0], [11, 12, 13, 14, 15, 0]])
    model = Tagger().train()
    out = model(tokens)
    out.sum().backward()
    model.eval()
    with torch.no_grad():
        return (out.detach(), model.emb.weight.grad, model(tokens))
