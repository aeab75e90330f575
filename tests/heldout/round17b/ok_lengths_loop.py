"""Sleep staging from overnight EEG: one label per 30-second epoch."""
import torch
from torch import nn

STAGES = ["W", "N1", "N2", "N3", "REM"]


class EpochFeatures(nn.Module):
    def __init__(self, samples=3000, dim=48):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 16, 50, stride=6), nn.ReLU(), nn.MaxPool1d(8),
                                 nn.Conv1d(16, dim, 8), nn.ReLU(), nn.AdaptiveAvgPool1d(1))

    def forward(self, eeg):
        b, n, s = eeg.shape
        return self.net(eeg.reshape(b * n, 1, s)).view(b, n, -1)


class SleepStager(nn.Module):
    def __init__(self, dim=48, heads=4):
        super().__init__()
        self.features = EpochFeatures(dim=dim)
        self.context = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.cls = nn.Linear(dim, len(STAGES))

    def forward(self, eeg, n_epochs):
        b, n, _ = eeg.shape
        unused = torch.zeros(b, n, dtype=torch.bool, device=eeg.device)
        for i, count in enumerate(n_epochs.tolist()):
            unused[i, count:] = True
        x = self.features(eeg)
        h, _ = self.context(x, x, x, key_padding_mask=unused)
        return self.cls(self.norm(x + h))


def staging_loss(model, eeg, n_epochs, stages):
    logits = model(eeg, n_epochs)
    valid = torch.arange(eeg.size(1))[None] < n_epochs[:, None]
    return nn.functional.cross_entropy(logits[valid], stages[valid])


if __name__ == "__main__":
    torch.manual_seed(0)
    eeg = torch.randn(2, 12, 3000)
    n_epochs = torch.tensor([12, 7])
    stages = torch.randint(0, 5, (2, 12))
    print(staging_loss(SleepStager(), eeg, n_epochs, stages).item())
