"""DiT-style latent denoiser with a small text encoder and per-block cross-attention."""
import math

import torch
from torch import nn


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], -1)


class TextEncoder(nn.Module):
    def __init__(self, vocab, dim, heads, layers, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.pos = nn.Parameter(torch.zeros(77, dim))
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.0, batch_first=True), layers)

    def forward(self, ids):
        x = self.tok(ids) + self.pos[: ids.size(1)]
        return self.enc(x, src_key_padding_mask=ids.eq(self.pad_id))


class DiTBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=False)
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.cross = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm3 = nn.LayerNorm(dim, elementwise_affine=False)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(4 * dim, dim))
        self.ada = nn.Linear(dim, 6 * dim)

    def forward(self, x, text, t_emb):
        s1, b1, g1, s2, b2, g2 = self.ada(t_emb)[:, None].chunk(6, -1)
        h = self.norm1(x) * (1 + s1) + b1
        x = x + g1 * self.self_attn(h, h, h, need_weights=False)[0]
        q = self.norm2(x)
        x = x + self.cross(q, text, text, need_weights=False)[0]  # expect: ML502
        h = self.norm3(x) * (1 + s2) + b2
        return x + g2 * self.mlp(h)


class TextToLatentDiT(nn.Module):
    def __init__(self, latent_ch=4, patch=2, dim=64, heads=4, depth=2, vocab=1000):
        super().__init__()
        self.patch = patch
        self.text = TextEncoder(vocab, dim, heads, 2)
        self.patchify = nn.Conv2d(latent_ch, dim, patch, patch)
        self.t_mlp = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.blocks = nn.ModuleList(DiTBlock(dim, heads) for _ in range(depth))
        self.unpatchify = nn.Linear(dim, latent_ch * patch * patch)

    def forward(self, latents, t, prompt_ids):
        B, C, H, W = latents.shape
        x = self.patchify(latents).flatten(2).transpose(1, 2)
        text = self.text(prompt_ids)
        t_emb = self.t_mlp(timestep_embedding(t, x.size(-1)))
        for blk in self.blocks:
            x = blk(x, text, t_emb)
        p = self.patch
        x = self.unpatchify(x).view(B, H // p, W // p, C, p, p)
        return x.permute(0, 3, 1, 4, 2, 5).reshape(B, C, H, W)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TextToLatentDiT()
    latents = torch.randn(2, 4, 8, 8)
    prompts = torch.tensor([[5, 17, 99, 3, 0, 0, 0, 0], [8, 8, 41, 12, 77, 6, 15, 2]])
    noise_pred = model(latents, torch.tensor([10, 500]), prompts)
    print("eps mse", nn.functional.mse_loss(noise_pred, torch.randn_like(latents)).item())
