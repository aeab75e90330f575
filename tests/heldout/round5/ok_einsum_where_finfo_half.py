"""Vision-language cross attention in half precision: masking uses the dtype's own minimum,
which is representable, and torch.where instead of an additive bias."""
import torch
import torch.nn as nn


class HalfSafeCrossAttention(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)

    def forward(self, text, image, image_keep):
        B, T, D = text.shape
        q = self.q(text).view(B, T, self.h, -1)
        k, v = self.kv(image).view(B, image.size(1), 2, self.h, -1).unbind(2)
        scores = torch.einsum("bthd,bshd->bhts", q, k) * (D // self.h) ** -0.5
        neg = torch.finfo(scores.dtype).min
        scores = torch.where(image_keep[:, None, None, :], scores, torch.full_like(scores, neg))
        attn = scores.float().softmax(-1).to(v.dtype)
        return self.o(torch.einsum("bhts,bshd->bthd", attn, v).reshape(B, T, D))


if __name__ == "__main__":
    m = HalfSafeCrossAttention()
    keep = torch.ones(2, 9, dtype=torch.bool); keep[1, 4:] = False
    text, img = torch.randn(2, 5, 64), torch.randn(2, 9, 64)
    y32 = m(text, img, keep)
    y16 = m.half()(text.half(), img.half(), keep)
    print("half ok:", torch.isfinite(y16).all().item(), (y16.float() - y32).abs().max().item() < 0.05)
