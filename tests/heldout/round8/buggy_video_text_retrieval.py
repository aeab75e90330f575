"""CLIP4Clip-style video-text retrieval.

Video: per-frame features (from a frozen image tower) mean-pooled over the real
frames.  Text: a small BERT-like encoder with hand-written attention and the
usual "extended attention mask" additive bias.  Similarity = cosine * logit scale.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def extend_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    ext = attention_mask[:, None, None, :].to(dtype)
    return ext * torch.finfo(dtype).min


class TextSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h, self.d = heads, dim // heads
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, bias):
        B, L, D = x.shape
        split = lambda t: t.view(B, L, self.h, self.d).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d) + bias
        ctx = scores.softmax(-1) @ v
        return self.o(ctx.transpose(1, 2).reshape(B, L, D))


class TextLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = TextSelfAttention(dim, heads)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, bias):
        x = self.ln1(x + self.attn(x, bias))
        return self.ln2(x + self.ff(x))


class TextTower(nn.Module):
    def __init__(self, vocab=1000, dim=64, heads=4, layers=2, max_len=32):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, dim), nn.Embedding(max_len, dim)
        self.layers = nn.ModuleList(TextLayer(dim, heads) for _ in range(layers))

    def forward(self, input_ids, attention_mask):
        h = self.tok(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        bias = extend_attention_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = layer(
                h,
                bias,  # expect: ML103
            )
        return h[:, 0]  # [CLS]


class VideoTextRetrieval(nn.Module):
    def __init__(self, frame_dim=128, dim=64):
        super().__init__()
        self.text = TextTower(dim=dim)
        self.video_proj = nn.Linear(frame_dim, dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def encode_video(self, frames, frame_mask):
        f = self.video_proj(frames)
        w = frame_mask.unsqueeze(-1).to(f.dtype)
        return (f * w).sum(1) / w.sum(1).clamp(min=1.0)

    def forward(self, input_ids, attention_mask, frames, frame_mask):
        t = F.normalize(self.text(input_ids, attention_mask), dim=-1)
        v = F.normalize(self.encode_video(frames, frame_mask), dim=-1)
        return self.logit_scale.exp() * t @ v.t()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = VideoTextRetrieval().eval()
    ids = torch.randint(1, 1000, (3, 12))
    am = torch.ones(3, 12, dtype=torch.long)
    am[1, 7:] = 0
    am[2, 4:] = 0
    ids = ids * am
    frames, fmask = torch.randn(3, 6, 128), torch.ones(3, 6, dtype=torch.bool)
    with torch.no_grad():
        a = model(ids, am, frames, fmask)
        ids2 = ids.clone()
        ids2[2, 4:] = 999  # padding token id should be irrelevant
        b = model(ids2, am, frames, fmask)
    d = (a[2] - b[2]).abs().max().item()
    print("similarity row of caption 2 changes with padding token ids:", d)
    assert d > 1e-3
    print("FAILURE SHOWN: real caption tokens are masked, padding attended")
