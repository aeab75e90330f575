"""ALiBi biases for nn.MultiheadAttention: a per-head bias tiled over the batch with .repeat."""
import math

import torch
import torch.nn as nn


def alibi_slopes(n_heads: int) -> torch.Tensor:
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


class AlibiEncoderLayer(nn.Module):
    def __init__(self, config: dict):
        super().__init__()
        self.heads = config["n_heads"]
        self.attn = nn.MultiheadAttention(config["dim"], self.heads, batch_first=True)
        self.register_buffer("slopes", alibi_slopes(self.heads))

    def bias(self, N, T, device):
        pos = torch.arange(T, device=device)
        dist = (pos[None, :] - pos[:, None]).abs().float()  # (T, T)
        per_head = -self.slopes[:, None, None] * dist  # (H, T, T), same for every sample
        # row index of the 3-D mask is b * H + h, so tiling the H-block N times is right here
        return per_head.repeat(N, 1, 1)

    def forward(self, x):
        N, T, _ = x.shape
        out, _ = self.attn(x, x, x, attn_mask=self.bias(N, T, x.device), need_weights=False)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = AlibiEncoderLayer({"dim": 32, "n_heads": 4}).eval()
    x = torch.randn(3, 5, 32)
    with torch.no_grad():
        full = layer(x)
        single = torch.cat([layer(x[i:i + 1]) for i in range(3)])
    assert torch.allclose(full, single, atol=1e-5)
    print("alibi tiling ok", math.isclose(float(layer.slopes[0]), 2 ** -2))
