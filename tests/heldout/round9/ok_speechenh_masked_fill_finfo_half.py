"""Speech enhancement (DPRNN-style inter-chunk attention) that runs in float16.
The fill value follows the score dtype, and the keep mask (1 = real frame) is compared
with 0 before masked_fill."""
import math

import torch
import torch.nn as nn


class InterChunkAttention(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, frame_keep):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        scores = scores.masked_fill(frame_keep[:, None, None, :] == 0, torch.finfo(scores.dtype).min)
        probs = scores.float().softmax(-1).to(v.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(B, T, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = InterChunkAttention().half()
    x = torch.randn(2, 10, 16).half()
    keep = torch.ones(2, 10, dtype=torch.long)
    keep[1, 6:] = 0
    a = layer(x, keep)
    x2 = x.clone()
    x2[1, 6:] = 4.0
    b = layer(x2, keep)
    assert torch.isfinite(a).all()
    assert torch.allclose(a[1, :6].float(), b[1, :6].float(), atol=1e-3), "padding leaked"
    print("OK: fp16 runs, finite, padded frames are ignored")
