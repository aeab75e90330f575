import torch
from torch import nn


class StreamingBlock(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float = 0.0):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.conv = nn.Conv1d(dim, dim, kernel_size=3, padding=2, groups=dim)  # causal depthwise
        self.norm_a, self.norm_c = nn.LayerNorm(dim), nn.LayerNorm(dim)

    def _per_head(self, mask: torch.Tensor) -> torch.Tensor:
        # MultiheadAttention wants a 3-D mask of shape (N * heads, L, S)
        return mask.repeat(self.heads, 1, 1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        h = self.norm_a(x)
        h, _ = self.attn(h, h, h, attn_mask=self._per_head(mask), need_weights=False)  # expect: ML302
        x = x + h
        c = self.conv(self.norm_c(x).transpose(1, 2))[..., : x.size(1)]
        return x + c.transpose(1, 2)
