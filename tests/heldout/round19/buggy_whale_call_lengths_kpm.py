"""Classifies humpback / right / fin whale calls from hydrophone log-mel frames."""
import torch
import torch.nn as nn

SPECIES = ("humpback", "north_atlantic_right", "fin", "minke", "noise")


def frames_valid(lengths, max_frames):
    steps = torch.arange(max_frames, device=lengths.device)
    return steps.unsqueeze(0) < lengths.unsqueeze(1)


class CallEncoder(nn.Module):
    def __init__(self, n_mels=64, d=128, heads=4, depth=3):
        super().__init__()
        self.stem = nn.Sequential(nn.Linear(n_mels, d), nn.GELU(), nn.LayerNorm(d))
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=2 * d, dropout=0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.cls = nn.Linear(d, len(SPECIES))

    def forward(self, mel, lengths):
        # mel: (batch, frames, n_mels)
        h = self.stem(mel)
        valid = frames_valid(lengths, mel.size(1))
        h = self.encoder(h, src_key_padding_mask=valid)  # BUG: key padding mask must be True at padded frames; `valid` is True at real frames
        w = valid.unsqueeze(-1).type_as(h)
        pooled = (h * w).sum(1) / w.sum(1).clamp_min(1.0)
        return self.cls(pooled)


def collate(clips):
    lengths = torch.tensor([c.size(0) for c in clips])
    mel = nn.utils.rnn.pad_sequence(clips, batch_first=True)
    return mel, lengths


if __name__ == "__main__":
    clips = [torch.randn(n, 64) for n in (120, 87, 45)]
    mel, lengths = collate(clips)
    model = CallEncoder()
    model.eval()
    with torch.no_grad():
        print(model(mel, lengths).softmax(-1))
