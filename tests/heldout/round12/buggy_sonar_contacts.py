"""Passive-sonar contact classification from quantised echo features.

The pipeline is seq-first throughout (time, batch), the layout of the DSP
front end.  Each window holds up to WINDOW echoes; short tracks are padded.
"""
import torch
import torch.nn.functional as F
from torch import nn

WINDOW, BATCH, N_CODES, PAD = 16, 16, 64, 0
CLASSES = ["surface_ship", "submarine", "biologic", "noise"]


def quantise(echoes: torch.Tensor) -> torch.Tensor:
    """(T, C) float features -> (T,) codes 1..N_CODES-1 (a frozen k-means would go here)."""
    centroids = torch.linspace(-2, 2, N_CODES - 1)
    return (echoes.mean(-1, keepdim=True) - centroids).abs().argmin(-1) + 1


def make_windows(tracks):
    """list of (T_i, C) -> (WINDOW, B) codes, seq-first."""
    codes = torch.full((WINDOW, len(tracks)), PAD, dtype=torch.long)
    for b, t in enumerate(tracks):
        q = quantise(t)[:WINDOW]
        codes[: len(q), b] = q
    return codes


class ContactClassifier(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.codes = nn.Embedding(N_CODES, dim, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(WINDOW, 1, dim))
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1)   # seq-first
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.head = nn.Linear(dim, len(CLASSES))

    def forward(self, codes):
        x = self.codes(codes) + self.pos[: codes.size(0)]
        x = self.encoder(x, src_key_padding_mask=codes.eq(PAD))  # expect: ML304
        real = codes.ne(PAD).unsqueeze(-1).float()
        return self.head((x * real).sum(0) / real.sum(0))


if __name__ == "__main__":
    torch.manual_seed(0)
    tracks = [torch.randn(int(torch.randint(5, 30, ())), 6) for _ in range(BATCH)]
    labels = torch.randint(0, len(CLASSES), (BATCH,))
    codes = make_windows(tracks)
    model = ContactClassifier()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for epoch in range(2):
        loss = F.cross_entropy(model(codes), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")
