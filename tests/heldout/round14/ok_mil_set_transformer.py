"""Multiple-instance learning over whole-slide image tiles with a Set Transformer
(SAB + PMA). Bags have different numbers of tiles. The attention math is kept in float32
on purpose (the feature extractor runs under autocast upstream; this head does not)."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import nn

NEG = -1e9


def pad_bags(bags: List[torch.Tensor]):
    n = max(b.size(0) for b in bags)
    feats = torch.stack([F.pad(b, (0, 0, 0, n - b.size(0))) for b in bags])
    present = torch.arange(n)[None, :] < torch.tensor([b.size(0) for b in bags])[:, None]
    return feats, present


class MAB(nn.Module):
    """Multihead attention block: Q attends to K (both (B, n, d)), written out explicitly."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.h = heads
        self.fc_q, self.fc_k, self.fc_v, self.fc_o = (nn.Linear(dim, dim) for _ in range(4))
        self.ln0, self.ln1 = nn.LayerNorm(dim), nn.LayerNorm(dim)

    def forward(self, q_in: torch.Tensor, k_in: torch.Tensor, k_present: torch.Tensor) -> torch.Tensor:
        q_in, k_in = q_in.float(), k_in.float()
        q, k, v = self.fc_q(q_in), self.fc_k(k_in), self.fc_v(k_in)
        split = lambda t: torch.stack(t.chunk(self.h, dim=-1), dim=1)  # noqa: E731  (B, h, n, d/h)
        q, k, v = split(q), split(k), split(v)
        logits = q @ k.transpose(-1, -2) / (q.size(-1) ** 0.5)
        logits = logits.masked_fill(~k_present[:, None, None, :], NEG)
        out = q + logits.softmax(-1) @ v
        out = torch.cat(out.unbind(1), dim=-1)
        out = self.ln0(out)
        return self.ln1(out + F.relu(self.fc_o(out)))


class SetTransformerMIL(nn.Module):
    def __init__(self, in_dim: int = 384, dim: int = 64, heads: int = 4, n_classes: int = 2):
        super().__init__()
        self.proj = nn.Linear(in_dim, dim)
        self.sab1, self.sab2 = MAB(dim, heads), MAB(dim, heads)
        self.seed = nn.Parameter(torch.randn(1, 1, dim))
        self.pma = MAB(dim, heads)
        self.head = nn.Linear(dim, n_classes)

    def forward(self, tiles: torch.Tensor, present: torch.Tensor) -> torch.Tensor:
        with torch.autocast(device_type=tiles.device.type, enabled=False):
            x = self.proj(tiles.float())
            x = self.sab1(x, x, present)
            x = self.sab2(x, x, present)
            pooled = self.pma(self.seed.expand(x.size(0), -1, -1), x, present)
            return self.head(pooled[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    bags = [torch.randn(n, 384) for n in (37, 12, 60)]
    tiles, present = pad_bags(bags)
    model = SetTransformerMIL()
    logits = model(tiles, present)
    loss = F.cross_entropy(logits, torch.tensor([1, 0, 1]))
    loss.backward()
    print("slide logits", logits.detach().numpy().round(3).tolist(), "loss", round(loss.item(), 4))
