"""Clinical event-sequence model: each patient is a padded sequence of coded
visits; a transformer encoder on SDPA produces a patient embedding."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class EHRConfig:
    n_codes: int = 20000
    d_model: int = 256
    n_heads: int = 8
    n_layers: int = 4
    max_visits: int = 128
    dropout: float = 0.1
    tasks: list = field(default_factory=lambda: ["mortality", "readmission"])


class VisitAttention(nn.Module):
    def __init__(self, cfg: EHRConfig):
        super().__init__()
        self.h = cfg.n_heads
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.o = nn.Linear(cfg.d_model, cfg.d_model)
        self.p = cfg.dropout

    def forward(self, x, n_visits):
        B, V, D = x.shape
        # (B, V) bool, True for real visits
        visit_mask = torch.arange(V, device=x.device)[None, :] < n_visits[:, None]
        q, k, v = self.qkv(x).reshape(B, V, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=visit_mask,  # expect: ML301
            dropout_p=self.p if self.training else 0.0,
        )
        return self.o(y.transpose(1, 2).reshape(B, V, D))


class EHREncoder(nn.Module):
    def __init__(self, cfg: EHRConfig):
        super().__init__()
        self.code_emb = nn.EmbeddingBag(cfg.n_codes, cfg.d_model, mode="sum", padding_idx=0)
        self.time_proj = nn.Linear(1, cfg.d_model)
        self.attn = nn.ModuleList(VisitAttention(cfg) for _ in range(cfg.n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(cfg.d_model) for _ in range(cfg.n_layers))
        self.heads = nn.ModuleDict({t: nn.Linear(cfg.d_model, 1) for t in cfg.tasks})

    def forward(self, codes, delta_days, n_visits):
        # codes: (B, V, C) code ids per visit; n_visits: (B,)
        B, V, C = codes.shape
        x = self.code_emb(codes.view(B * V, C)).view(B, V, -1)
        x = x + self.time_proj(delta_days.unsqueeze(-1).float().log1p())
        visit_mask = torch.arange(V, device=codes.device)[None, :] < n_visits[:, None]
        for attn, norm in zip(self.attn, self.norms):
            x = x + attn(norm(x), n_visits)
        w = visit_mask.unsqueeze(-1).float()
        pooled = (x * w).sum(1) / w.sum(1).clamp_min(1.0)
        return {t: head(pooled).squeeze(-1) for t, head in self.heads.items()}
