import torch
from torch import nn


def make_pad_mask(lengths, max_len=None):
    max_len = max_len or int(lengths.max())
    mask = torch.zeros(lengths.size(0), max_len, dtype=torch.bool)
    for i, n in enumerate(lengths.tolist()):
        mask[i, n:] = True
    return mask


class SpeakerEmbedder(nn.Module):
    def __init__(self, n_feats=20, dim=32, heads=4, n_speakers=6):
        super().__init__()
        self.frontend = nn.Linear(n_feats, dim)
        self.query = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pool = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.out = nn.Linear(dim, n_speakers)

    def forward(self, feats, lengths):
        x = torch.relu(self.frontend(feats))
        pad = make_pad_mask(lengths, feats.size(1))
        q = self.query.expand(x.size(0), -1, -1)
        pooled, _ = self.pool(q, x, x, key_padding_mask=pad)
        return self.out(pooled[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    feats = torch.randn(3, 9, 20)
    lengths = torch.tensor([9, 4, 6])
    print(SpeakerEmbedder()(feats, lengths).argmax(-1).tolist())
