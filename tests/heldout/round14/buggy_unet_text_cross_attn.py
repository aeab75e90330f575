"""Text-conditioned denoising U-Net (latent-diffusion layout, heavily shrunk).

Captions are tokenised to a padded batch, encoded by a small Transformer text encoder, and
injected into the U-Net through SpatialTransformer cross-attention blocks."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, device=t.device) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([args.cos(), args.sin()], dim=-1)


class TextEncoder(nn.Module):
    def __init__(self, vocab: int = 4096, dim: int = 64, layers: int = 2, pad_id: int = 0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.zeros(77, dim))
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, 0.0, batch_first=True, norm_first=True)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.tok(ids) + self.pos[: ids.size(1)]
        return self.enc(x, src_key_padding_mask=ids.eq(self.pad_id))


class SpatialTransformer(nn.Module):
    def __init__(self, channels: int, context_dim: int, heads: int = 4):
        super().__init__()
        self.norm = nn.GroupNorm(8, channels)
        self.proj_in = nn.Conv2d(channels, channels, 1)
        self.norm1, self.norm2, self.norm3 = (nn.LayerNorm(channels) for _ in range(3))
        self.attn1 = nn.MultiheadAttention(channels, heads, batch_first=True)
        self.attn2 = nn.MultiheadAttention(channels, heads, kdim=context_dim, vdim=context_dim, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(channels, 4 * channels), nn.GELU(), nn.Linear(4 * channels, channels))
        self.proj_out = nn.Conv2d(channels, channels, 1)

    def forward(self, x: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        b, c, hgt, wid = x.shape
        h = self.proj_in(self.norm(x)).flatten(2).transpose(1, 2)
        q = self.norm1(h)
        h = h + self.attn1(q, q, q, need_weights=False)[0]
        h = h + self.attn2(self.norm2(h), context, context, need_weights=False)[0]  # expect: ML502
        h = h + self.ff(self.norm3(h))
        return x + self.proj_out(h.transpose(1, 2).reshape(b, c, hgt, wid))


class ResBlock(nn.Module):
    def __init__(self, cin: int, cout: int, temb: int):
        super().__init__()
        self.n1, self.c1 = nn.GroupNorm(8, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(temb, cout)
        self.n2, self.c2 = nn.GroupNorm(8, cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x))) + self.t(temb)[:, :, None, None]
        return self.skip(x) + self.c2(F.silu(self.n2(h)))


class TinyTextUNet(nn.Module):
    def __init__(self, in_ch: int = 4, base: int = 32, ctx_dim: int = 64):
        super().__init__()
        self.base = base
        self.temb = nn.Sequential(nn.Linear(base, 4 * base), nn.SiLU(), nn.Linear(4 * base, 4 * base))
        self.inp = nn.Conv2d(in_ch, base, 3, padding=1)
        self.down = ResBlock(base, 2 * base, 4 * base)
        self.pool = nn.Conv2d(2 * base, 2 * base, 3, stride=2, padding=1)
        self.mid = ResBlock(2 * base, 2 * base, 4 * base)
        self.mid_attn = SpatialTransformer(2 * base, ctx_dim)
        self.up = ResBlock(4 * base, base, 4 * base)
        self.out = nn.Sequential(nn.GroupNorm(8, base), nn.SiLU(), nn.Conv2d(base, in_ch, 3, padding=1))

    def forward(self, x, t, context):
        temb = self.temb(timestep_embedding(t, self.base))
        h1 = self.down(self.inp(x), temb)
        h = self.mid_attn(self.mid(self.pool(h1), temb), context)
        h = F.interpolate(h, scale_factor=2.0, mode="nearest")
        return self.out(self.up(torch.cat([h, h1], 1), temb))


if __name__ == "__main__":
    torch.manual_seed(0)
    text, unet = TextEncoder(), TinyTextUNet()
    captions = torch.tensor([[17, 503, 88, 9, 1201, 4, 0, 0, 0, 0], [640, 12, 0, 0, 0, 0, 0, 0, 0, 0]])
    latents = torch.randn(2, 4, 16, 16)
    t = torch.randint(0, 1000, (2,))
    alpha_bar = torch.cos(t / 1000 * math.pi / 2)[:, None, None, None] ** 2
    noise = torch.randn_like(latents)
    noisy = alpha_bar.sqrt() * latents + (1 - alpha_bar).sqrt() * noise
    loss = F.mse_loss(unet(noisy, t, text(captions)), noise)
    loss.backward()
    print("diffusion loss", round(loss.item(), 4))
