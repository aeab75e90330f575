from __future__ import annotations

from typing import Dict

import torch
from torch import nn


class FbankEncoder(nn.Module):
    """Linear frame stacking (x3) followed by a Transformer encoder."""

    def __init__(self, n_mels: int, d_model: int, nhead: int, layers: int, stack: int = 3):
        super().__init__()
        self.stack = stack
        self.proj = nn.Linear(n_mels * stack, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True)
        self.layers = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, feats: torch.Tensor, feat_lens: torch.Tensor) -> Dict[str, torch.Tensor]:
        b, t, f = feats.shape
        t = t // self.stack
        x = self.proj(feats[:, : t * self.stack].reshape(b, t, f * self.stack))
        lens = feat_lens // self.stack
        memory_pad = torch.arange(t, device=feats.device).expand(b, t) >= lens[:, None]
        memory = self.layers(x, src_key_padding_mask=memory_pad)
        return {"memory": memory, "memory_pad": memory_pad, "lens": lens}
