"""EEG conformer-style attention block configured from a dataclass."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn


@dataclass
class EEGAttentionConfig:
    n_chans: int = 22
    emb_size: int = 40
    num_heads: int = 10
    att_drop: float = 0.0
    depth: int = 2
    # per-token validity mask convention used by the data pipeline: True = valid sample
    mask_keep_true: bool = True
    extra: dict = field(default_factory=dict)


class TransformerEncoderBlock(nn.Module):
    def __init__(self, cfg: EEGAttentionConfig):
        super().__init__()
        self.cfg = cfg
        self.norm1 = nn.LayerNorm(cfg.emb_size)
        self.attention = nn.MultiheadAttention(
            cfg.emb_size, cfg.num_heads, dropout=cfg.att_drop, batch_first=True
        )
        self.norm2 = nn.LayerNorm(cfg.emb_size)
        self.ff = nn.Sequential(
            nn.Linear(cfg.emb_size, 4 * cfg.emb_size), nn.GELU(), nn.Linear(4 * cfg.emb_size, cfg.emb_size)
        )

    def forward(self, x, mask=None):
        h = self.norm1(x)
        kpm = None if mask is None else ~mask
        out, _ = self.attention(h, h, h, key_padding_mask=kpm, need_weights=False)
        x = x + out
        return x + self.ff(self.norm2(x))


class EEGTransformer(nn.Module):
    def __init__(self, cfg: EEGAttentionConfig, n_outputs: int = 4):
        super().__init__()
        self.cfg = cfg
        self.patch = nn.Conv1d(cfg.n_chans, cfg.emb_size, kernel_size=25, stride=15)
        self.blocks = nn.ModuleList(TransformerEncoderBlock(cfg) for _ in range(cfg.depth))
        self.head = nn.Linear(cfg.emb_size, n_outputs)

    def forward(self, x, valid=None):
        tokens = self.patch(x).transpose(1, 2)
        mask = None
        if valid is not None:
            # down-sample the per-sample validity to token resolution
            mask = valid[:, :: self.patch.stride[0]][:, : tokens.shape[1]]
        for blk in self.blocks:
            tokens = blk(tokens, mask)
        if mask is None:
            pooled = tokens.mean(1)
        else:
            w = mask.unsqueeze(-1).float()
            pooled = (tokens * w).sum(1) / w.sum(1).clamp(min=1)
        return self.head(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = EEGAttentionConfig()
    model = EEGTransformer(cfg).eval()
    x = torch.randn(2, cfg.n_chans, 400)
    valid = torch.ones(2, 400, dtype=torch.bool)
    valid[1, 300:] = False
    with torch.no_grad():
        y = model(x, valid)
    print(y.shape, "finite:", torch.isfinite(y).all().item())
