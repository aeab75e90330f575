"""Melody continuation model: a Transformer decoder over note events, conditioned on a
small set of style tokens (genre, tempo bucket, key) through cross-attention."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

NUM_EVENTS = 388  # 128 note-on, 128 note-off, 100 time-shift, 32 velocity
NUM_STYLE_TOKENS = 48


def _lower_triangle(n: int) -> np.ndarray:
    return np.tril(np.ones((n, n), dtype=bool))


class StyleConditioner(nn.Module):
    def __init__(self, d_model: int):
        super().__init__()
        self.table = nn.Embedding(NUM_STYLE_TOKENS, d_model)
        self.proj = nn.Sequential(nn.Linear(d_model, d_model), nn.SiLU(), nn.Linear(d_model, d_model))

    def forward(self, style_ids: torch.Tensor) -> torch.Tensor:
        return self.proj(self.table(style_ids))


class MelodyDecoder(nn.Module):
    def __init__(self, d_model: int = 96, n_heads: int = 4, n_layers: int = 3, max_len: int = 512):
        super().__init__()
        self.event_emb = nn.Embedding(NUM_EVENTS, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.style = StyleConditioner(d_model)
        layer = nn.TransformerDecoderLayer(d_model, n_heads, 4 * d_model, dropout=0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, n_layers)
        self.head = nn.Linear(d_model, NUM_EVENTS)
        self._mask_cache: dict[tuple[int, str], torch.Tensor] = {}

    def _step_mask(self, n: int, device: torch.device) -> torch.Tensor:
        key = (n, str(device))
        if key not in self._mask_cache:
            self._mask_cache[key] = torch.from_numpy(_lower_triangle(n)).to(device)
        return self._mask_cache[key]

    def forward(self, events: torch.Tensor, style_ids: torch.Tensor) -> torch.Tensor:
        n = events.size(1)
        pos = torch.arange(n, device=events.device)
        x = self.event_emb(events) + self.pos_emb(pos)[None]
        memory = self.style(style_ids)
        step_mask = self._step_mask(n, events.device)
        h = self.decoder(x, memory, tgt_mask=step_mask)  # expect: ML101
        return self.head(h)

    def loss(self, events: torch.Tensor, style_ids: torch.Tensor) -> torch.Tensor:
        logits = self(events[:, :-1], style_ids)
        return nn.functional.cross_entropy(logits.reshape(-1, NUM_EVENTS), events[:, 1:].reshape(-1))

    @torch.no_grad()
    def continue_melody(self, primer: torch.Tensor, style_ids: torch.Tensor, steps: int = 16,
                        temperature: float = 1.0) -> torch.Tensor:
        events = primer
        for _ in range(steps):
            logits = self(events, style_ids)[:, -1] / temperature
            nxt = torch.multinomial(logits.softmax(-1), 1)
            events = torch.cat([events, nxt], dim=1)
        return events


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MelodyDecoder()
    events = torch.randint(0, NUM_EVENTS, (2, 33))
    style = torch.randint(0, NUM_STYLE_TOKENS, (2, 3))
    model.train()
    loss = model.loss(events, style)
    loss.backward()
    print("train loss", round(loss.item(), 4))
    model.eval()
    try:
        out = model.continue_melody(events[:, :8], style, steps=4)
        print("continued", tuple(out.shape))
    except RuntimeError as err:
        print("sampling failed:", err)
