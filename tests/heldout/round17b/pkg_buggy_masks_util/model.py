"""Activity classifier: 6-axis IMU windows -> activity label."""
import torch
from torch import nn

from .masks import lengths_to_mask, masked_mean, pad_windows

ACTIVITIES = ["walk", "run", "stairs_up", "stairs_down", "sit", "stand", "cycle"]


class ActivityNet(nn.Module):
    def __init__(self, channels=6, dim=48, heads=4, layers=2):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(channels, dim, 5, padding=2), nn.GELU())
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(dim, len(ACTIVITIES))

    def forward(self, imu, lengths):
        x = self.stem(imu.transpose(1, 2)).transpose(1, 2)
        valid = lengths_to_mask(lengths, imu.size(1))
        h = self.encoder(x, src_key_padding_mask=valid)  # expect: ML101
        return self.head(masked_mean(h, valid))


def recordings(seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(n, 6, generator=g) for n in (50, 32, 41, 50)]


if __name__ == "__main__":
    torch.manual_seed(0)
    imu, lengths = pad_windows(recordings())
    model = ActivityNet()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    labels = torch.tensor([0, 4, 2, 1])
    for _ in range(3):
        loss = nn.functional.cross_entropy(model(imu, lengths), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(loss.item())
