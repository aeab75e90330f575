"""Symbolic-music language model over REMI-style event tokens.

Events are bar / position / pitch / velocity / duration tokens flattened into one stream; the
model is a decoder-only stack built from ``nn.TransformerEncoder`` (no cross-attention needed).
"""
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class RemiConfig:
    vocab_size: int = 96
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    max_len: int = 128
    dropout: float = 0.0
    pad_id: int = 0


class RemiLM(nn.Module):
    def __init__(self, cfg: RemiConfig):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model, padding_idx=cfg.pad_id)
        self.pos = nn.Embedding(cfg.max_len, cfg.d_model)
        layer = nn.TransformerEncoderLayer(
            cfg.d_model, cfg.n_heads, 4 * cfg.d_model, cfg.dropout, batch_first=True, norm_first=True
        )
        self.blocks = nn.TransformerEncoder(layer, cfg.n_layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(cfg.d_model)
        self.head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)
        # precomputed once, sliced per step
        self.register_buffer(
            "attn_window", torch.tril(torch.ones(cfg.max_len, cfg.max_len, dtype=torch.bool)), persistent=False
        )

    def forward(self, events: torch.Tensor) -> torch.Tensor:
        T = events.size(1)
        h = self.tok(events) + self.pos(torch.arange(T, device=events.device))
        h = self.blocks(h, mask=self.attn_window[:T, :T])  # expect: ML101
        return self.head(self.norm(h))

    def loss(self, events: torch.Tensor) -> torch.Tensor:
        logits = self(events[:, :-1])
        return F.cross_entropy(
            logits.reshape(-1, logits.size(-1)), events[:, 1:].reshape(-1), ignore_index=self.cfg.pad_id
        )

    @torch.no_grad()
    def continue_phrase(self, prompt: torch.Tensor, n_events: int = 8) -> torch.Tensor:
        out = prompt
        for _ in range(n_events):
            nxt = self(out[:, -self.cfg.max_len:])[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], dim=1)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RemiLM(RemiConfig())
    events = torch.randint(1, 96, (3, 24))
    print("loss", float(model.loss(events)))
    model.eval()
    print("continuation", model.continue_phrase(events[:, :6], 4)[0].tolist())
