"""Streaming keyword spotter ("hey rover") on 10 ms filterbank frames.

On-device latency budget: each frame may look at most LOOKBACK frames into
the past and never into the future.  The look-back limit is a band mask; the
no-future part is requested with the is_causal flag.
"""
import torch
import torch.nn.functional as F
from torch import nn

LOOKBACK = 8
KEYWORDS = ["_silence", "_unknown", "hey_rover", "stop", "go_home"]


def lookback_band(n_frames: int, lookback: int = LOOKBACK) -> torch.Tensor:
    """(T, T) bool, True where |i - j| exceeds the look-back budget."""
    i = torch.arange(n_frames)
    return (i[:, None] - i[None, :]).abs() > lookback


class StreamingEncoder(nn.Module):
    def __init__(self, n_mels=40, dim=48, heads=4, depth=3):
        super().__init__()
        self.subsample = nn.Conv1d(n_mels, dim, kernel_size=3, stride=1, padding=0)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.1, batch_first=True, norm_first=True)
            for _ in range(depth)
        )
        self.classify = nn.Linear(dim, len(KEYWORDS))

    def forward(self, fbank):
        """fbank (B, T, n_mels) -> per-frame keyword logits (B, T - 2, K)."""
        x = self.subsample(fbank.transpose(1, 2)).transpose(1, 2)
        band = lookback_band(x.size(1)).to(x.device)
        for layer in self.layers:
            x = layer(x, src_mask=band, is_causal=True)  # expect: ML402
        return self.classify(x)


def frame_targets(labels, n_frames, tail=10):
    """Keyword label on the last `tail` frames of each clip, silence elsewhere."""
    tgt = torch.zeros(len(labels), n_frames, dtype=torch.long)
    tgt[:, -tail:] = labels[:, None]
    return tgt


if __name__ == "__main__":
    torch.manual_seed(0)
    fbank = torch.randn(4, 50, 40)
    labels = torch.tensor([2, 3, 1, 4])
    model = StreamingEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    logits = model(fbank)
    loss = F.cross_entropy(logits.flatten(0, 1), frame_targets(labels, logits.size(1)).flatten())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("train loss", round(loss.item(), 4))
    model.eval()
    with torch.no_grad():
        print("streaming decisions", model(fbank[:1]).argmax(-1)[0, -5:].tolist())
