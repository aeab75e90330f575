import torch
from torch import nn

from .config import ScorerConfig


class SessionBlock(nn.Module):
    def __init__(self, cfg: ScorerConfig):
        super().__init__()
        self.cfg = cfg
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, dropout=cfg.dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(),
            nn.Linear(4 * cfg.d_model, cfg.d_model), nn.Dropout(cfg.dropout))

    def forward(self, x, key_padding_mask=None):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, key_padding_mask=key_padding_mask, need_weights=False, is_causal=self.cfg.causal)  # expect: ML402
        x = x + a
        return x + self.mlp(self.ln2(x))


class NextEventScorer(nn.Module):
    def __init__(self, cfg: ScorerConfig | None = None):
        super().__init__()
        self.cfg = cfg or ScorerConfig()
        c = self.cfg
        self.event_emb = nn.Embedding(c.n_events, c.d_model, padding_idx=c.pad_id)
        self.pos_emb = nn.Embedding(c.max_len, c.d_model)
        self.blocks = nn.ModuleList(SessionBlock(c) for _ in range(c.n_layers))
        self.ln_f = nn.LayerNorm(c.d_model)
        self.head = nn.Linear(c.d_model, c.n_events, bias=False)
        self.head.weight = self.event_emb.weight

    def forward(self, events):
        pad = events == self.cfg.pad_id
        pos = torch.arange(events.size(1), device=events.device)
        x = self.event_emb(events) + self.pos_emb(pos)
        for blk in self.blocks:
            x = blk(x, key_padding_mask=pad)
        return self.head(self.ln_f(x))
