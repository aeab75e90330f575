"""Lane-equipment fault classifier for a highway toll plaza.

Each lane reports per-minute transaction counts split by payment method
(transponder, card, cash, violation). A day profile (1440 minutes, pooled to
10-minute bins) is scored for "lane equipment fault" vs "normal".
"""
import torch
import torch.nn as nn

BINS_PER_DAY = 144


class TollLaneScorer(nn.Module):
    def __init__(self, n_lanes=64, d_model=32, nhead=4):
        super().__init__()
        self.count_proj = nn.Linear(4, d_model)
        self.tod = nn.Embedding(BINS_PER_DAY, d_model)
        self.lane = nn.Embedding(n_lanes, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, dropout=0.0)  # sequence-first
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 64), nn.GELU(), nn.Linear(64, d_model))
        self.norm2 = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, 1)

    def forward(self, counts, lane):
        # counts: (days, bins, 4) from the default DataLoader collate; lane: (days,)
        B, T, _ = counts.shape
        x = self.count_proj(torch.log1p(counts)) + self.tod(torch.arange(T, device=counts.device))[None]
        x = x + self.lane(lane)[:, None]
        x = x.transpose(0, 1)                       # (bins, days, d) for the seq-first attention
        a, _ = self.attn(x, x, x, need_weights=False)
        x = self.norm1(x + a)
        x = self.norm2(x + self.ff(x))
        return self.out(x.mean(dim=0)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TollLaneScorer()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    counts = torch.poisson(torch.full((5, BINS_PER_DAY, 4), 12.0))
    lane = torch.randint(0, 64, (5,))
    loss = nn.functional.binary_cross_entropy_with_logits(model(counts, lane), torch.tensor([0., 1., 0., 0., 1.]))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(float(loss))
