"""Decoder-only block whose behaviour is driven by a dataclass config."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn


@dataclass
class BlockConfig:
    d_model: int = 64
    n_heads: int = 4
    dropout: float = 0.0
    causal: bool = True
    max_len: int = 128
    extra: dict = field(default_factory=dict)


class DecoderBlock(nn.Module):
    def __init__(self, cfg: BlockConfig):
        super().__init__()
        self.cfg = cfg
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(
            cfg.d_model, cfg.n_heads, dropout=cfg.dropout, batch_first=True
        )
        self.mlp = nn.Sequential(
            nn.Linear(cfg.d_model, 4 * cfg.d_model),
            nn.GELU(),
            nn.Linear(4 * cfg.d_model, cfg.d_model),
        )

    def _attn_mask(self, T: int, device) -> torch.Tensor | None:
        if not self.cfg.causal:
            return None
        # lower triangle = positions each query may look at
        return torch.tril(torch.ones(T, T, dtype=torch.bool, device=device))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        T = x.size(1)
        mask = self._attn_mask(T, x.device)
        h = self.ln1(x)
        a, _ = self.attn(
            h, h, h,
            attn_mask=mask,  # expect: ML101
            need_weights=False,
        )
        x = x + a
        return x + self.mlp(self.ln2(x))


if __name__ == "__main__":
    torch.manual_seed(0)
    blk = DecoderBlock(BlockConfig())
    x = torch.randn(2, 6, 64)
    y = blk(x)
    x2 = x.clone()
    x2[:, -1] = torch.randn(2, 64)
    y2 = blk(x2)
    print("first token changed by last token:", (y[:, 0] - y2[:, 0]).abs().max().item())
