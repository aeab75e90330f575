"""FT-Transformer style model for tabular credit data with missing values, served in float16.

Each feature becomes a token; missing features are hidden from attention. A [CLS] token is
always present, so every query has at least one visible key."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class FeatureTokenizer(nn.Module):
    def __init__(self, n_num: int, cat_cards: list[int], dim: int):
        super().__init__()
        self.num_w = nn.Parameter(torch.randn(n_num, dim) * 0.1)
        self.num_b = nn.Parameter(torch.zeros(n_num, dim))
        self.cat = nn.ModuleList(nn.Embedding(c, dim) for c in cat_cards)
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.1)

    def forward(self, x_num: torch.Tensor, x_cat: torch.Tensor) -> torch.Tensor:
        num = x_num.nan_to_num(0.0)[..., None] * self.num_w + self.num_b
        cat = torch.stack([emb(x_cat[:, i]) for i, emb in enumerate(self.cat)], dim=1)
        return torch.cat([self.cls.expand(x_num.size(0), -1, -1).to(num.dtype), num, cat], dim=1)


class MaskedSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.h = heads
        self.qkv, self.o = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, missing: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) * (d // self.h) ** -0.5
        scores = scores.masked_fill(missing[:, None, None, :], torch.finfo(scores.dtype).min)
        probs = scores.float().softmax(dim=-1).to(v.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(b, n, d))


class FTTransformer(nn.Module):
    def __init__(self, n_num: int = 6, cat_cards=(4, 12, 3), dim: int = 32, heads: int = 4, depth: int = 2):
        super().__init__()
        self.n_num = n_num
        self.tok = FeatureTokenizer(n_num, list(cat_cards), dim)
        self.attn = nn.ModuleList(MaskedSelfAttention(dim, heads) for _ in range(depth))
        self.norm1 = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.ffn = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.ReLU(),
                                               nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.ReLU(), nn.Linear(dim, 1))

    def forward(self, x_num: torch.Tensor, x_cat: torch.Tensor) -> torch.Tensor:
        x = self.tok(x_num, x_cat)
        missing = torch.cat([torch.zeros_like(x_num[:, :1], dtype=torch.bool), x_num.isnan(),
                             torch.zeros_like(x_cat, dtype=torch.bool)], dim=1)
        for attn, norm, ffn in zip(self.attn, self.norm1, self.ffn):
            x = x + attn(norm(x), missing)
            x = x + ffn(x)
        return self.head(x[:, 0]).squeeze(-1)


def sample_applicants(n: int):
    x_num = torch.randn(n, 6)
    x_num[torch.rand(n, 6) < 0.25] = float("nan")
    x_cat = torch.stack([torch.randint(0, c, (n,)) for c in (4, 12, 3)], dim=1)
    return x_num, x_cat


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FTTransformer()
    x_num, x_cat = sample_applicants(16)
    loss = F.binary_cross_entropy_with_logits(model(x_num, x_cat), (torch.rand(16) < 0.2).float())
    loss.backward()
    served = model.half().eval()
    with torch.no_grad():
        p_default = served(x_num.half(), x_cat).float().sigmoid()
    print("train loss", round(loss.item(), 4), "fp16 scores", p_default[:4].numpy().round(3).tolist())
