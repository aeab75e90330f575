"""Graph-free set transformer whose neighbourhood masks come from a NumPy preprocessing step."""
import numpy as np
import torch
import torch.nn as nn


def neighbourhood_mask(coords: np.ndarray, radius: float) -> np.ndarray:
    """1 where two points are farther apart than `radius` (cannot attend)."""
    d = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=-1)
    return (d > radius).astype(np.uint8)


class LocalSetLayer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Linear(dim, dim)

    def forward(self, feats, far):
        h, _ = self.attn(
            feats, feats, feats,
            attn_mask=far,
        )
        return feats + self.ff(h)


def run(layer, coords, feats, radius=0.5):
    far = torch.from_numpy(neighbourhood_mask(coords, radius)).to(feats.device)
    return layer(
        feats.unsqueeze(0),
        far,  # expect: ML203
    )


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    coords = rng.random((6, 2)).astype(np.float32)
    try:
        run(LocalSetLayer(), coords, torch.randn(6, 32))
    except AssertionError as e:
        print(e)
