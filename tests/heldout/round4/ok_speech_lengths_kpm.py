# Speaker-ID x-vector style model with a Transformer encoder over frames.
import torch
from torch import nn


def lengths_to_padding_mask(lens: torch.Tensor, max_len: int) -> torch.Tensor:
    """(B, T) bool, True at padded frames (PyTorch key_padding_mask convention)."""
    mask = torch.zeros(len(lens), max_len, dtype=torch.bool, device=lens.device)
    for i, n in enumerate(lens.tolist()):
        mask[i, n:] = True
    return mask


class AttentiveStatsPool(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.score = nn.Linear(d, 1)

    def forward(self, x, pad_mask):
        w = self.score(x).squeeze(-1)
        w = w.masked_fill(pad_mask, float("-inf")).softmax(-1).unsqueeze(-1)
        mu = (w * x).sum(1)
        sigma = ((w * x * x).sum(1) - mu * mu).clamp(min=1e-6).sqrt()
        return torch.cat([mu, sigma], -1)


class SpeakerEncoder(nn.Module):
    def __init__(self, n_mels=80, d_model=192, nhead=4, layers=4, n_speakers=1211):
        super().__init__()
        self.frontend = nn.Sequential(
            nn.Conv1d(n_mels, d_model, 5, stride=2, padding=2), nn.ReLU(), nn.BatchNorm1d(d_model)
        )
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers)
        self.pool = AttentiveStatsPool(d_model)
        self.embed = nn.Linear(2 * d_model, 256)
        self.classifier = nn.Linear(256, n_speakers)

    def forward(self, mels, mel_lens):
        x = self.frontend(mels.transpose(1, 2)).transpose(1, 2)     # stride 2
        lens = (mel_lens + 1) // 2
        pad = lengths_to_padding_mask(lens, x.size(1))
        x = self.encoder(x, src_key_padding_mask=pad)
        x = x.masked_fill(pad.unsqueeze(-1), 0.0)
        emb = self.embed(self.pool(x, pad))
        return emb, self.classifier(emb)


if __name__ == "__main__":
    model = SpeakerEncoder()
    mels = torch.randn(3, 300, 80)
    emb, logits = model(mels, torch.tensor([300, 251, 97]))
    print(emb.shape, logits.isfinite().all())
