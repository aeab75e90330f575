"""Per-sample 3-D masks for nn.MultiheadAttention expanded batch-major (b * H + h)."""
import torch
import torch.nn as nn


class SegmentAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self._mask = None

    def set_segments(self, seg):
        blocked = seg[:, :, None] != seg[:, None, :]  # (N, L, S)
        N, L, S = blocked.shape
        self._mask = blocked[:, None].expand(N, self.heads, L, S).reshape(N * self.heads, L, S)

    def forward(self, x):
        return self.attn(x, x, x, attn_mask=self._mask, need_weights=False)[0]


if __name__ == "__main__":
    torch.manual_seed(0)
    m = SegmentAttention().eval()
    x = torch.randn(2, 4, 32)
    seg = torch.tensor([[0, 0, 1, 1], [0, 0, 0, 1]])
    m.set_segments(seg)
    with torch.no_grad():
        both = m(x)
        m.set_segments(seg[1:]); one = m(x[1:])
    assert torch.allclose(both[1], one[0], atol=1e-5)
    print("head order ok")
