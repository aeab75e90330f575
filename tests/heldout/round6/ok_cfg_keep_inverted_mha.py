"""Decoder block configured by a dataclass; the mask is built as a keep-mask and inverted for MHA."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class BlockConfig:
    d_model: int = 64
    n_heads: int = 4
    causal: bool = True
    dropout: float = 0.0


class DecoderBlock(nn.Module):
    def __init__(self, cfg: BlockConfig):
        super().__init__()
        self.cfg = cfg
        self.ln = nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, dropout=cfg.dropout, batch_first=True)

    def visible(self, T: int, device) -> torch.Tensor:
        # lower triangle = positions each query may look at
        return torch.tril(torch.ones(T, T, dtype=torch.bool, device=device))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mask = None
        if self.cfg.causal:
            mask = ~self.visible(x.size(1), x.device)  # nn.MultiheadAttention: True = blocked
        h = self.ln(x)
        a, _ = self.attn(h, h, h, attn_mask=mask, need_weights=False)
        return x + a


if __name__ == "__main__":
    torch.manual_seed(0)
    blk = DecoderBlock(BlockConfig())
    x = torch.randn(2, 6, 64)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 64)
    for mode in (blk.train, blk.eval):
        mode()
        with torch.no_grad():
            assert torch.allclose(blk(x)[:, :-1], blk(x2)[:, :-1], atol=1e-5)
    print("causal ok")
