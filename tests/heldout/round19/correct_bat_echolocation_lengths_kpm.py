"""Bat species identification from echolocation pulse trains (ultrasonic spectrogram frames)."""
import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence

GENERA = ["Myotis", "Pipistrellus", "Eptesicus", "Nyctalus", "Rhinolophus", "Plecotus"]


class PulseTrainClassifier(nn.Module):
    def __init__(self, bins=96, width=96, heads=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(bins, width)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(width, heads, 3 * width, dropout=0.0, batch_first=True)
            for _ in range(layers)
        )
        self.head = nn.Sequential(nn.LayerNorm(width), nn.Linear(width, len(GENERA)))

    @staticmethod
    def padding_from_lengths(lengths, total):
        idx = torch.arange(total, device=lengths.device).expand(len(lengths), total)
        return idx >= lengths[:, None]

    def forward(self, spec, lengths):
        pad = self.padding_from_lengths(lengths, spec.size(1))
        x = self.inp(spec)
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).to(x.dtype)
        return self.head((x * keep).sum(1) / keep.sum(1))


def batchify(recordings):
    lens = torch.as_tensor([r.shape[0] for r in recordings])
    return pad_sequence(recordings, batch_first=True), lens


if __name__ == "__main__":
    spec, lens = batchify([torch.randn(n, 96) for n in (40, 33, 12, 40)])
    clf = PulseTrainClassifier().eval()
    with torch.inference_mode():
        print(clf(spec, lens).argmax(-1))
