"""Patient-level readmission model over a sequence of hospital visits.

Each visit is a bag of diagnosis/procedure codes (0 = padding code); patients
have different numbers of visits.
"""
import torch
import torch.nn as nn


class VisitEncoder(nn.Module):
    def __init__(self, n_codes, dim):
        super().__init__()
        self.codes = nn.EmbeddingBag(n_codes, dim, mode="sum", padding_idx=0)

    def forward(self, codes):
        b, v, c = codes.shape
        return self.codes(codes.view(b * v, c)).view(b, v, -1)


class ReadmissionModel(nn.Module):
    def __init__(self, n_codes=500, dim=64, max_visits=50):
        super().__init__()
        self.visits = VisitEncoder(n_codes, dim)
        self.gap = nn.Linear(1, dim)
        self.pos = nn.Embedding(max_visits, dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(dim, 1)

    def forward(self, codes, days_since_prev):
        # codes: (B, V, C) long; days_since_prev: (B, V) float
        has_visit = (codes != 0).any(dim=-1)
        visit_pad = 1.0 - has_visit.float()
        steps = torch.arange(codes.size(1), device=codes.device)
        x = self.visits(codes) + self.gap(days_since_prev.unsqueeze(-1).log1p()) + self.pos(steps)
        h = self.encoder(x, src_key_padding_mask=visit_pad)  # expect: ML201
        w = has_visit.unsqueeze(-1).float()
        pooled = (h * w).sum(1) / w.sum(1).clamp(min=1.0)
        return self.out(pooled).squeeze(-1)
