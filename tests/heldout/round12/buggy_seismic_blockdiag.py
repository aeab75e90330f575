"""Phase picker (P / S / noise per patch) for short seismogram windows.

Windows from different stations have different lengths, so several windows
are packed into one row; patches may only attend to patches of their own
window, which gives a block-diagonal visibility pattern per row.
"""
from typing import List

import torch
import torch.nn.functional as F
from torch import nn

PATCH = 20            # samples per patch (0.2 s at 100 Hz), 3 components
PHASES = ["noise", "P", "S"]


def patchify(trace: torch.Tensor) -> torch.Tensor:
    """(3, T) -> (T // PATCH, 3 * PATCH)"""
    t = trace.size(1) // PATCH * PATCH
    return trace[:, :t].reshape(3, -1, PATCH).permute(1, 0, 2).flatten(1)


def pack_row(windows: List[torch.Tensor]):
    patches = [patchify(w) for w in windows]
    visibility = torch.block_diag(*[torch.ones(len(p), len(p)) for p in patches])
    return torch.cat(patches), visibility


class PickerLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.o = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, visibility):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=visibility.unsqueeze(1))  # expect: ML202
        x = x + self.o(y.transpose(1, 2).reshape(b, n, d))
        return x + self.mlp(self.ln2(x))


class PhasePicker(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Linear(3 * PATCH, dim)
        self.layers = nn.ModuleList(PickerLayer(dim, heads) for _ in range(depth))
        self.cls = nn.Linear(dim, len(PHASES))

    def forward(self, patches, visibility):
        x = self.embed(patches)
        for layer in self.layers:
            x = layer(x, visibility)
        return self.cls(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    rows = [pack_row([torch.randn(3, 200), torch.randn(3, 120)]),
            pack_row([torch.randn(3, 100), torch.randn(3, 160), torch.randn(3, 60)])]
    patches = torch.stack([r[0] for r in rows])
    visibility = torch.stack([r[1] for r in rows])
    labels = torch.randint(0, len(PHASES), patches.shape[:2])
    model = PhasePicker()
    logits = model(patches, visibility)
    loss = F.cross_entropy(logits.flatten(0, 1), labels.flatten())
    loss.backward()
    print("picker loss", round(loss.item(), 4), "patches per row", patches.size(1))
