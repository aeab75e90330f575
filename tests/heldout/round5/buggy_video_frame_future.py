"""Streaming video transformer: each patch token may attend to tokens of its own frame and of
earlier frames (frame-causal attention)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FrameCausalAttention(nn.Module):
    def __init__(self, dim: int, heads: int, patches_per_frame: int):
        super().__init__()
        self.heads, self.ppf = heads, patches_per_frame
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self._cache = {}

    def frame_mask(self, n_tokens: int, device) -> torch.Tensor:
        if n_tokens not in self._cache:
            frame_of = torch.arange(n_tokens, device=device) // self.ppf
            # compare frame index of query (rows) with frame index of key (cols)
            self._cache[n_tokens] = frame_of[:, None] < frame_of[None, :]
        return self._cache[n_tokens]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, N, C = x.shape
        q, k, v = self.to_qkv(x).reshape(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        mask = self.frame_mask(N, x.device)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
        return self.to_out(out.transpose(1, 2).reshape(B, N, C))


class StreamingVideoEncoder(nn.Module):
    def __init__(self, dim=96, heads=4, patch=16, frames=4, img=64):
        super().__init__()
        self.ppf = (img // patch) ** 2
        self.patchify = nn.Conv3d(3, dim, kernel_size=(1, patch, patch), stride=(1, patch, patch))
        self.pos = nn.Parameter(torch.zeros(1, frames * self.ppf, dim))
        self.blocks = nn.ModuleList(FrameCausalAttention(dim, heads, self.ppf) for _ in range(2))
        self.norm = nn.LayerNorm(dim)

    def forward(self, video):  # (B, 3, T, H, W)
        x = self.patchify(video).flatten(2).transpose(1, 2) + self.pos
        for blk in self.blocks:
            x = x + blk(self.norm(x))
        return x


if __name__ == "__main__":
    enc = StreamingVideoEncoder()
    print(enc(torch.randn(1, 3, 4, 64, 64)).shape)
