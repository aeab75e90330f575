"""Utterance classifier over variable-length frame features with attention pooling."""
import torch
from torch import nn


def lengths_to_padding(lengths, max_len):
    mask = torch.zeros(len(lengths), max_len)
    for i, n in enumerate(lengths.tolist()):
        mask[i, n:] = 1.0
    return mask


class AttentivePooling(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, frames, pad):
        q = self.query.expand(frames.size(0), -1, -1)
        ctx, _ = self.attn(q, frames, frames, key_padding_mask=pad)  # expect: ML201
        return ctx.squeeze(1)


class UtteranceClassifier(nn.Module):
    def __init__(self, n_feats=20, dim=32, n_classes=5):
        super().__init__()
        self.proj = nn.Sequential(nn.Linear(n_feats, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.pool = AttentivePooling(dim)
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, feats, lengths):
        pad = lengths_to_padding(lengths, feats.size(1))
        return self.cls(self.pool(self.proj(feats), pad))


def collate(batch):
    lengths = torch.tensor([x.size(0) for x, _ in batch])
    feats = nn.utils.rnn.pad_sequence([x for x, _ in batch], batch_first=True)
    labels = torch.tensor([y for _, y in batch])
    return feats, lengths, labels


if __name__ == "__main__":
    torch.manual_seed(0)
    data = [(torch.randn(n, 20), n % 5) for n in (7, 3, 9, 5)]
    feats, lengths, labels = collate(data)
    model = UtteranceClassifier()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for _ in range(3):
        loss = nn.functional.cross_entropy(model(feats, lengths), labels)
        opt.zero_grad(); loss.backward(); opt.step()
    print("loss", loss.item())
