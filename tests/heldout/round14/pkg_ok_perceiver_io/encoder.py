import torch
from torch import nn


class LatentEncoder(nn.Module):
    """Cross-attend latents -> input frames (padded), then a latent self-attention stack."""

    def __init__(self, n_mels: int, n_latents: int, dim: int, heads: int, depth: int):
        super().__init__()
        self.inp = nn.Linear(n_mels + 16, dim)
        self.latents = nn.Parameter(torch.randn(n_latents, dim) * 0.02)
        self.cross = nn.MultiheadAttention(dim, 1, batch_first=True)
        self.cross_norm_q, self.cross_norm_kv = nn.LayerNorm(dim), nn.LayerNorm(dim)
        block = nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.0, batch_first=True, norm_first=True)
        self.latent_stack = nn.TransformerEncoder(block, depth, enable_nested_tensor=False)

    @staticmethod
    def fourier_time(t: int, device) -> torch.Tensor:
        pos = torch.linspace(-1, 1, t, device=device)[:, None] * torch.arange(1, 9, device=device) * torch.pi
        return torch.cat([pos.sin(), pos.cos()], -1)

    def forward(self, frames: torch.Tensor, frame_pad: torch.Tensor) -> torch.Tensor:
        b, t, _ = frames.shape
        x = self.inp(torch.cat([frames, self.fourier_time(t, frames.device).expand(b, -1, -1)], -1))
        z = self.latents.expand(b, -1, -1)
        kv = self.cross_norm_kv(x)
        z = z + self.cross(self.cross_norm_q(z), kv, kv, key_padding_mask=frame_pad, need_weights=False)[0]
        return self.latent_stack(z)
