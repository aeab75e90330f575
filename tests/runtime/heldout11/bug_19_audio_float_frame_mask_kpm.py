# EXPECT: bug
"""wav2vec-flavoured keyword spotter: conv feature extractor, frame mask downsampled from the
waveform lengths, nn.TransformerEncoder context network."""
import torch
import torch.nn as nn


class FeatureExtractor(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.convs = nn.Sequential(
            nn.Conv1d(1, dim, kernel_size=10, stride=5), nn.GELU(),
            nn.Conv1d(dim, dim, kernel_size=4, stride=2), nn.GELU())

    @staticmethod
    def output_lengths(n):
        for k, s in ((10, 5), (4, 2)):
            n = torch.div(n - k, s, rounding_mode="floor") + 1
        return n

    def forward(self, wav):
        return self.convs(wav.unsqueeze(1)).transpose(1, 2)


class KeywordSpotter(nn.Module):
    def __init__(self, dim=32, heads=4, layers=2, n_keywords=6, dropout=0.1):
        super().__init__()
        self.features = FeatureExtractor(dim)
        self.proj = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim), nn.Dropout(dropout))
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout, activation="gelu", batch_first=True)
        self.context = nn.TransformerEncoder(layer, layers)
        self.classifier = nn.Linear(dim, n_keywords)

    def frame_mask(self, wav_lengths, n_frames):
        frame_lengths = self.features.output_lengths(wav_lengths)
        return (torch.arange(n_frames, device=wav_lengths.device)[None, :] < frame_lengths[:, None]).float()

    def forward(self, wav, wav_lengths):
        x = self.proj(self.features(wav))
        valid = self.frame_mask(wav_lengths, x.size(1))
        x = self.context(x, src_key_padding_mask=valid)  # BUG-SITE
        pooled = (x * valid[..., None]).sum(1) / valid.sum(1, keepdim=True)
        return self.classifier(pooled)


def run():
    torch.manual_seed(0)
    model = KeywordSpotter()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    wav_lengths = torch.tensor([400, 310, 220])
    wav = torch.randn(3, 400) * (torch.arange(400)[None] < wav_lengths[:, None])
    y = torch.tensor([1, 4, 0])
    model.train()
    loss = nn.functional.cross_entropy(model(wav, wav_lengths), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(wav, wav_lengths)
    return [loss.detach(), ev]
