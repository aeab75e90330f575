"""Patient-visit encoder for EHR risk prediction. Each patient is a sequence of visit codes."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import TransformerEncoder, TransformerEncoderLayer

PAD_CODE = 0


class VisitEncoder(nn.Module):
    def __init__(self, n_codes=5000, d=64, heads=4, depth=2):
        super().__init__()
        self.code_emb = nn.EmbeddingBag(n_codes, d, mode="sum", padding_idx=PAD_CODE)
        self.time_proj = nn.Linear(1, d)
        self.encoder = TransformerEncoder(TransformerEncoderLayer(d, heads, 2 * d, batch_first=True), depth)
        self.risk = nn.Linear(d, 1)

    def embed_visits(self, codes, gaps):
        B, V, C = codes.shape
        e = self.code_emb(codes.view(B * V, C)).view(B, V, -1)
        return e + self.time_proj(gaps.unsqueeze(-1))

    def forward(self, codes, gaps, n_visits):
        x = self.embed_visits(codes, gaps)
        visit_pad = torch.arange(x.size(1), device=x.device)[None, :] >= n_visits[:, None]
        h = self.encoder(
            x,
            visit_pad,  # expect: ML501
        )
        h = h.masked_fill(visit_pad.unsqueeze(-1), 0.0)
        return self.risk(h.sum(1) / n_visits[:, None].float()).squeeze(-1)


if __name__ == "__main__":
    model = VisitEncoder()
    codes = torch.randint(1, 5000, (6, 10, 5))
    gaps = torch.rand(6, 10)
    n_visits = torch.tensor([10, 3, 7, 10, 1, 5])
    try:
        logits = model(codes, gaps, n_visits)
        print(F.binary_cross_entropy_with_logits(logits, torch.rand(6).round()).item())
    except (RuntimeError, AssertionError) as e:
        print("error:", str(e)[:90])
