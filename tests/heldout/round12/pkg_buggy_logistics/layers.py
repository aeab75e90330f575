"""Stop encoder: embeds stop type + coordinates and runs the shared encoder stack."""
import torch
from torch import nn

from .masks import stop_padding


class StopEncoder(nn.Module):
    def __init__(self, cfg, encoder: nn.TransformerEncoder):
        super().__init__()
        self.pad_id = cfg.pad_id
        self.kind = nn.Embedding(cfg.n_stop_types, cfg.d_model, padding_idx=cfg.pad_id)
        self.where = nn.Sequential(nn.Linear(2, cfg.d_model), nn.GELU(), nn.Linear(cfg.d_model, cfg.d_model))
        self.encoder = encoder

    def forward(self, stop_types: torch.Tensor, stop_xy: torch.Tensor):
        """Returns (memory, padding); callers need the padding for cross-attention."""
        padding = stop_padding(stop_types, self.pad_id)
        h = self.kind(stop_types) + self.where(stop_xy)
        memory = self.encoder(h, src_key_padding_mask=padding)
        return memory, padding
