"""Mosquito species from wingbeat audio (8 kHz recordings from smartphone traps). A strided conv front end
turns samples into frames; a transformer encoder pools the frames."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = ["aedes_aegypti", "aedes_albopictus", "anopheles_gambiae", "anopheles_arabiensis", "culex_quinquefasciatus", "culex_pipiens"]


class WingbeatNet(nn.Module):
    def __init__(self, d=64, heads=4, layers=2):
        super().__init__()
        # total stride 4 * 4 * 2 = 32 samples per frame
        self.frontend = nn.Sequential(
            nn.Conv1d(1, 32, 9, stride=4, padding=4), nn.GELU(),
            nn.Conv1d(32, 64, 5, stride=4, padding=2), nn.GELU(),
            nn.Conv1d(64, d, 3, stride=2, padding=1),
        )
        self.stride = 32
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d, len(SPECIES))

    def forward(self, wave, n_samples):
        # wave: (B, samples) zero-padded after n_samples
        frames = self.frontend(wave.unsqueeze(1)).transpose(1, 2)  # (B, F, d)
        n_frames = frames.size(1)
        pad = torch.arange(n_frames, device=wave.device)[None, :] >= n_samples[:, None]  # BUG: compares frame indices with sample counts; every frame looks valid, padded frames are attended (needs ceil(n_samples / 32))
        h = self.encoder(frames, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return self.out((h * keep).sum(1) / keep.sum(1))


def collate(recordings):
    n = torch.tensor([r.numel() for r in recordings])
    wave = torch.zeros(len(recordings), int(n.max()))
    for i, r in enumerate(recordings):
        wave[i, : r.numel()] = r
    return wave, n


if __name__ == "__main__":
    recs = [torch.sin(torch.arange(n) * 0.37 * (1 + i)) for i, n in enumerate((4000, 2600, 1200))]
    wave, n = collate(recs)
    logits = WingbeatNet()(wave, n)
    print(F.cross_entropy(logits, torch.tensor([0, 2, 4])).item())
