"""Line-level OCR: a small conv stem over text-line images, column self-attention, CTC head.

Images in a batch have different widths; the collate function right-pads them and records
which feature columns are real.
"""
import numpy as np
import torch
from torch import nn

STRIDE = 4
CHARSET = " abcdefghijklmnopqrstuvwxyz0123456789"


def collate_lines(images):
    """images: list of (H, W_i) float arrays in [0, 1]."""
    h = images[0].shape[0]
    widths = np.array([im.shape[1] for im in images])
    w = int(widths.max())
    w += (-w) % STRIDE
    batch = np.ones((len(images), 1, h, w), dtype=np.float32)  # white background
    for i, im in enumerate(images):
        batch[i, 0, :, : im.shape[1]] = im
    cols = w // STRIDE
    column_mask = np.arange(cols)[None, :] < np.ceil(widths / STRIDE)[:, None]
    return {"pixels": torch.from_numpy(batch), "column_mask": torch.from_numpy(column_mask), "widths": widths}


class LineRecognizer(nn.Module):
    def __init__(self, height=16, dim=64, heads=4):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(1, dim // 2, 3, padding=1), nn.GELU(), nn.MaxPool2d(2),
            nn.Conv2d(dim // 2, dim, 3, padding=1), nn.GELU(), nn.MaxPool2d(2),
        )
        self.proj = nn.Linear(dim * (height // STRIDE), dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.ctc = nn.Linear(dim, len(CHARSET) + 1)

    def forward(self, batch):
        f = self.stem(batch["pixels"])  # (N, C, H/4, W/4)
        n, c, hh, ww = f.shape
        x = self.proj(f.permute(0, 3, 1, 2).reshape(n, ww, c * hh))
        ctx, _ = self.attn(x, x, x, key_padding_mask=batch["column_mask"])  # expect: ML101
        x = self.norm(x + ctx)
        return self.ctc(x).log_softmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    lines = [rng.random((16, w)).astype(np.float32) for w in (40, 64, 23)]
    batch = collate_lines(lines)
    model = LineRecognizer()
    print("train", model(batch).shape)
    model.eval()
    with torch.no_grad():
        out = model(batch)
    print("eval finite rows per line:", torch.isfinite(out).all(-1).sum(-1).tolist())
