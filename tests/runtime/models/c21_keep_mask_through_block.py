"""Correct twin of b34: the block receives the padding mask (tokens == pad), True = ignore."""
import torch
import torch.nn as nn

KIND = "correct"
PAD = 0


class Block(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(dim, heads, 32, dropout=0.1, batch_first=True)

    def forward(self, h, mask):
        return self.layer(h, src_key_padding_mask=mask)


class Tagger(nn.Module):
    def __init__(self, vocab=40, dim=16):
        super().__init__()
        self.pad_id = PAD
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.blocks = nn.ModuleList([Block(dim) for _ in range(2)])
        self.head = nn.Linear(dim, 5)

    def forward(self, tokens):
        padding = tokens == self.pad_id
        h = self.emb(tokens)
        for block in self.blocks:
            h = block(h, padding)
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
