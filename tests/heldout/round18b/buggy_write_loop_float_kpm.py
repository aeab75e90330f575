"""ECG rhythm classification from variable-length beat sequences."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BeatEncoder(nn.Module):
    def __init__(self, samples_per_beat=64, d_model=32):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 8, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(8), nn.Flatten(), nn.Linear(64, d_model))

    def forward(self, beats):
        B, N, S = beats.shape
        return self.net(beats.reshape(B * N, 1, S)).view(B, N, -1)


class RhythmClassifier(nn.Module):
    def __init__(self, d_model=32, nhead=4, num_layers=2, n_classes=5):
        super().__init__()
        self.beats = BeatEncoder(d_model=d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.cls = nn.Linear(d_model, n_classes)

    def forward(self, beats, n_beats):
        x = self.beats(beats)
        B, N, _ = x.shape
        kpm = torch.zeros(B, N, device=x.device)
        for i, n in enumerate(n_beats.tolist()):
            kpm[i, n:] = 1.0
        h = self.encoder(x, src_key_padding_mask=kpm)  # BUG: float 0/1 padding mask: added (+1) in training, padded beats not masked
        valid = (kpm == 0).unsqueeze(-1).float()
        return self.cls((h * valid).sum(1) / valid.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RhythmClassifier().train()
    beats = torch.randn(3, 10, 64)
    n_beats = torch.tensor([10, 7, 4])
    beats[1, 7:] = 0.0
    beats[2, 4:] = 0.0
    logits = model(beats, n_beats)
    loss = F.cross_entropy(logits, torch.tensor([0, 3, 1]))
    print("loss", round(loss.item(), 5))
