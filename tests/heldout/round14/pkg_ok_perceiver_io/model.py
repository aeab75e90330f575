from dataclasses import dataclass

import torch
from torch import nn

from .decoder import QueryDecoder
from .encoder import LatentEncoder


@dataclass
class TaggerConfig:
    n_mels: int = 64
    n_latents: int = 32
    dim: int = 64
    heads: int = 4
    depth: int = 2
    n_tags: int = 10


class PerceiverIOTagger(nn.Module):
    def __init__(self, cfg: TaggerConfig = TaggerConfig()):
        super().__init__()
        self.encoder = LatentEncoder(cfg.n_mels, cfg.n_latents, cfg.dim, cfg.heads, cfg.depth)
        self.decoder = QueryDecoder(cfg.n_tags, cfg.dim, cfg.heads)

    def forward(self, batch) -> torch.Tensor:
        return self.decoder(self.encoder(batch["frames"], batch["frame_pad"]))
