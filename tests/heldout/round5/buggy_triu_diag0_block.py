"""Autoregressive pixel model (ImageGPT-lite) on 8x8 colour-quantized images."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PixelBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=True)[0]
        return x + self.mlp(self.ln2(x))


class ImageGPT(nn.Module):
    def __init__(self, n_colors=16, d=64, h=4, n=3, n_px=64):
        super().__init__()
        self.sos = nn.Parameter(torch.zeros(1, 1, d))
        self.tok = nn.Embedding(n_colors, d)
        self.pos = nn.Parameter(torch.zeros(n_px, 1, d))
        self.blocks = nn.ModuleList(PixelBlock(d, h) for _ in range(n))
        self.head = nn.Linear(d, n_colors)
        mask = torch.triu(torch.ones(n_px, n_px, dtype=torch.bool), diagonal=0)
        self.register_buffer("attn_mask", mask, persistent=False)

    def forward(self, pixels):  # (B, 64) color indices
        B, L = pixels.shape
        x = self.tok(pixels.t())
        x = torch.cat([self.sos.expand(1, B, -1), x[:-1]], 0) + self.pos[:L]
        for blk in self.blocks:
            x = blk(
                x,
                self.attn_mask[:L, :L],  # expect: ML404
            )
        return self.head(x).transpose(0, 1)


if __name__ == "__main__":
    m = ImageGPT()
    px = torch.randint(0, 16, (2, 64))
    logits = m(px)
    print("nan in logits:", torch.isnan(logits).any().item())
