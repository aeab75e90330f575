"""Perceiver-style encoder for irregular clinical event streams.

Each patient record is a variable-length list of (time, code, value) events. A fixed array of
latents cross-attends to the events, then self-attends, and a pooled latent predicts outcome."""
from __future__ import annotations

from typing import List, NamedTuple

import torch
import torch.nn.functional as F
from torch import nn


class EventBatch(NamedTuple):
    times: torch.Tensor   # (B, T)
    codes: torch.Tensor   # (B, T)
    values: torch.Tensor  # (B, T)
    present: torch.Tensor  # (B, T) bool


def pack_events(records: List[torch.Tensor]) -> EventBatch:
    """records[i]: (T_i, 3) float tensor of (time, code, value)."""
    longest = max(r.shape[0] for r in records)
    padded = torch.stack([F.pad(r, (0, 0, 0, longest - r.shape[0])) for r in records])
    present = torch.stack(
        [F.pad(torch.ones(r.shape[0], dtype=torch.bool), (0, longest - r.shape[0]), value=False) for r in records]
    )
    return EventBatch(padded[..., 0], padded[..., 1].long(), padded[..., 2], present)


class FourierTime(nn.Module):
    def __init__(self, n_bands: int):
        super().__init__()
        self.register_buffer("freqs", torch.logspace(-2, 1, n_bands))

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        ang = torch.einsum("bt,f->btf", t, self.freqs)
        return torch.cat([ang.sin(), ang.cos()], dim=-1)


class LatentCrossAttention(nn.Module):
    def __init__(self, latent_dim: int, input_dim: int, heads: int = 1):
        super().__init__()
        self.norm_latents = nn.LayerNorm(latent_dim)
        self.norm_inputs = nn.LayerNorm(input_dim)
        self.attn = nn.MultiheadAttention(latent_dim, heads, kdim=input_dim, vdim=input_dim, batch_first=True)
        self.mlp = nn.Sequential(nn.LayerNorm(latent_dim), nn.Linear(latent_dim, 2 * latent_dim), nn.GELU(),
                                 nn.Linear(2 * latent_dim, latent_dim))

    def forward(self, latents: torch.Tensor, inputs: torch.Tensor, present: torch.Tensor) -> torch.Tensor:
        kv = self.norm_inputs(inputs)
        upd, _ = self.attn(self.norm_latents(latents), kv, kv,
                           key_padding_mask=present)  # expect: ML101
        latents = latents + upd
        return latents + self.mlp(latents)


class EventPerceiver(nn.Module):
    def __init__(self, n_codes: int = 500, input_dim: int = 48, latent_dim: int = 64, n_latents: int = 16,
                 depth: int = 2, n_bands: int = 8):
        super().__init__()
        self.code_emb = nn.Embedding(n_codes, input_dim - 2 * n_bands - 1)
        self.time_enc = FourierTime(n_bands)
        self.latents = nn.Parameter(torch.randn(n_latents, latent_dim) * 0.02)
        self.cross = LatentCrossAttention(latent_dim, input_dim)
        layer = nn.TransformerEncoderLayer(latent_dim, 4, 2 * latent_dim, 0.0, batch_first=True, norm_first=True)
        self.process = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.head = nn.Linear(latent_dim, 1)

    def forward(self, batch: EventBatch) -> torch.Tensor:
        x = torch.cat([self.code_emb(batch.codes), self.time_enc(batch.times), batch.values[..., None]], -1)
        z = self.latents.expand(x.size(0), -1, -1)
        z = self.cross(z, x, batch.present)
        z = self.process(z)
        return self.head(z.mean(dim=1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    records = []
    for n in (30, 12, 21):
        t = torch.sort(torch.rand(n) * 48).values
        records.append(torch.stack([t, torch.randint(0, 500, (n,)).float(), torch.randn(n)], -1))
    batch = pack_events(records)
    model = EventPerceiver()
    logits = model(batch)
    loss = F.binary_cross_entropy_with_logits(logits, torch.tensor([1.0, 0.0, 1.0]))
    loss.backward()
    print("risk logits", logits.detach().numpy().round(3), "loss", round(loss.item(), 4))
