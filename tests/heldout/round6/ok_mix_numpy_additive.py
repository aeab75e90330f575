"""Point-cloud layer with a NumPy-built additive mask (0 inside the radius, -inf outside)."""
import numpy as np
import torch
import torch.nn as nn


def radius_bias(coords: np.ndarray, radius: float) -> np.ndarray:
    d = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=-1)
    return np.where(d <= radius, 0.0, -np.inf).astype(np.float32)  # diagonal d=0 always kept


class LocalSetLayer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, feats, bias):
        return self.attn(feats, feats, feats, attn_mask=bias, need_weights=False)[0]


def run(layer, coords, feats, radius=0.3):
    bias = torch.from_numpy(radius_bias(coords, radius)).to(feats.device, feats.dtype)
    return layer(feats.unsqueeze(0), bias)


if __name__ == "__main__":
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    coords = rng.random((6, 2)).astype(np.float32)
    layer = LocalSetLayer().eval()
    feats = torch.randn(6, 32)
    with torch.no_grad():
        out = run(layer, coords, feats)
        far = np.linalg.norm(coords - coords[0], axis=-1) > 0.3
        feats2 = feats.clone(); feats2[torch.from_numpy(far)] = torch.randn(int(far.sum()), 32)
        out2 = run(layer, coords, feats2)
    assert not torch.isnan(out).any() and torch.allclose(out[0, 0], out2[0, 0], atol=1e-5)
    print("radius mask ok")
