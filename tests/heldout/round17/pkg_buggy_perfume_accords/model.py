import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import FormulaConfig
from .mixins import FormulaGenerationMixin


class FormulaLM(FormulaGenerationMixin, nn.Module):
    def __init__(self, config: FormulaConfig):
        super().__init__()
        self.config = config
        c = config
        self.material = nn.Embedding(c.n_materials, c.dim, padding_idx=c.special["pad"])
        self.dosage = nn.Embedding(c.dosage_bins, c.dim)
        self.line = nn.Embedding(c.max_lines, c.dim)
        layer = nn.TransformerEncoderLayer(c.dim, c.heads, 4 * c.dim, c.dropout,
                                           batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, c.layers, enable_nested_tensor=False)
        self.to_material = nn.Linear(c.dim, c.n_materials)
        self.to_dosage = nn.Linear(c.dim, c.dosage_bins)

    @classmethod
    def from_config(cls, **overrides):
        return cls(FormulaConfig(**overrides))

    def forward(self, materials, dosage):
        pad = materials.eq(self.config.special["pad"])
        lines = torch.arange(materials.size(1), device=materials.device)
        x = self.material(materials) + self.dosage(dosage) + self.line(lines)
        h = self.blocks(x, src_key_padding_mask=pad)  # expect: ML401
        return self.to_material(h), self.to_dosage(h)

    def loss(self, materials, dosage):
        mat_logits, dose_logits = self(materials[:, :-1], dosage[:, :-1])
        target = materials[:, 1:]
        ignore = self.config.special["pad"]
        return (F.cross_entropy(mat_logits.transpose(1, 2), target, ignore_index=ignore)
                + F.cross_entropy(dose_logits.transpose(1, 2), dosage[:, 1:]))
