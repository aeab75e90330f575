"""Handwritten-line OCR: CNN feature columns + autoregressive character decoder, usable in half precision."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def masked_attention(q, k, v, hidden):
    """hidden: bool, broadcastable to (B, H, Lq, Lk); True = not attended."""
    scores = q @ k.transpose(-1, -2) * q.size(-1) ** -0.5
    scores = scores.masked_fill(hidden, torch.finfo(scores.dtype).min)
    return scores.float().softmax(-1).to(v.dtype) @ v


class MHA(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def split(self, x):
        B, L, D = x.shape
        return x.view(B, L, self.h, D // self.h).transpose(1, 2)

    def forward(self, x, mem, hidden):
        out = masked_attention(self.split(self.q(x)), self.split(self.k(mem)), self.split(self.v(mem)), hidden)
        B, H, L, dh = out.shape
        return self.o(out.transpose(1, 2).reshape(B, L, H * dh))


class OCRDecoder(nn.Module):
    def __init__(self, n_chars=80, d=64, h=4, layers=2):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, d, 3, 1, 1), nn.ReLU(), nn.AdaptiveAvgPool2d((1, None)))
        self.emb, self.pos = nn.Embedding(n_chars, d), nn.Embedding(128, d)
        self.self_attn = nn.ModuleList(MHA(d, h) for _ in range(layers))
        self.cross_attn = nn.ModuleList(MHA(d, h) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * layers))
        self.out = nn.Linear(d, n_chars)

    def forward(self, images, widths, chars_in):
        mem = self.cnn(images).squeeze(2).transpose(1, 2)                    # (B, W/2, d)
        col_pad = torch.arange(mem.size(1), device=mem.device)[None] >= (widths // 2)[:, None]
        T = chars_in.size(1)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=mem.device), diagonal=1)
        x = self.emb(chars_in) + self.pos(torch.arange(T, device=mem.device))
        for i, (sa, ca) in enumerate(zip(self.self_attn, self.cross_attn)):
            x = x + sa(self.norms[2 * i](x), self.norms[2 * i](x), future)
            x = x + ca(self.norms[2 * i + 1](x), mem, col_pad[:, None, None, :])
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    widths = torch.tensor([96, 60])
    imgs = torch.rand(2, 1, 16, 96) * (torch.arange(96)[None, None, None] < widths[:, None, None, None])
    text = torch.randint(1, 80, (2, 12))
    model = OCRDecoder()
    logits = model(imgs, widths, text[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), text[:, 1:])
    loss.backward()
    with torch.no_grad():
        half = model.to(torch.float16)(imgs.half(), widths, text[:, :-1])
    print(loss.item(), half.dtype, half.isfinite().all().item())
