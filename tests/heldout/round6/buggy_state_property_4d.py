"""Block-sparse encoder: the mask is exposed as a property and computed from stored state."""
import torch
import torch.nn as nn


class ChunkedEncoderLayer(nn.Module):
    def __init__(self, dim=64, heads=4, chunk=4):
        super().__init__()
        self.heads, self.chunk = heads, chunk
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))
        self._lengths = None

    def set_lengths(self, lengths: torch.Tensor):
        self._lengths = lengths

    @property
    def attn_mask(self) -> torch.Tensor:
        lengths = self._lengths
        N, S = lengths.numel(), int(lengths.max())
        pos = torch.arange(S, device=lengths.device)
        same_chunk = (pos[:, None] // self.chunk) == (pos[None, :] // self.chunk)
        pad = pos[None, :] >= lengths[:, None]  # (N, S) True = pad
        blocked = ~same_chunk[None] | pad[:, None, :]  # (N, L, S)
        return blocked[:, None].expand(N, self.heads, S, S)

    def forward(self, x):
        h, _ = self.attn(
            x, x, x,
            attn_mask=self.attn_mask,  # expect: ML301
        )
        x = x + h
        return x + self.ff(x)


if __name__ == "__main__":
    layer = ChunkedEncoderLayer()
    layer.set_lengths(torch.tensor([8, 5]))
    try:
        layer(torch.randn(2, 8, 64))
    except Exception as e:
        print(type(e).__name__, str(e)[:100])
