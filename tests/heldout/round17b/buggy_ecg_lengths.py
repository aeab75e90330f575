"""Beat-level arrhythmia classifier for ECG recordings of different lengths.

Each recording is cut into equal windows ("beats"); recordings are padded to
the longest one in the batch.
"""
import torch
from torch import nn


class BeatEmbed(nn.Module):
    def __init__(self, window=64, dim=32):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(),
                                  nn.Conv1d(16, dim, 5, padding=2), nn.AdaptiveAvgPool1d(1))

    def forward(self, beats):
        b, n, w = beats.shape
        return self.conv(beats.reshape(b * n, 1, w)).view(b, n, -1)


class RhythmClassifier(nn.Module):
    def __init__(self, dim=32, heads=4, layers=2, n_classes=5):
        super().__init__()
        self.embed = BeatEmbed(dim=dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(dim, n_classes)

    def forward(self, beats, lengths):
        b, n, _ = beats.shape
        pad = torch.zeros(b, n, device=beats.device)
        for i, length in enumerate(lengths.tolist()):
            pad[i, length:] = 1.0
        h = self.encoder(self.embed(beats), src_key_padding_mask=pad)  # expect: ML201
        keep = (pad == 0).unsqueeze(-1).float()
        pooled = (h * keep).sum(1) / keep.sum(1)
        return self.head(pooled)


def run_epoch(model, loader, opt):
    model.train()
    for beats, lengths, label in loader:
        loss = nn.functional.cross_entropy(model(beats, lengths), label)
        opt.zero_grad()
        loss.backward()
        opt.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    beats = torch.randn(3, 10, 64)
    lengths = torch.tensor([10, 6, 3])
    model = RhythmClassifier()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    run_epoch(model, [(beats, lengths, torch.tensor([0, 2, 4]))], opt)
    print(RhythmClassifier()(beats, lengths).argmax(-1))
