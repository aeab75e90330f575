"""Daily-profile fault classifier for subway turnstile banks.

Counts are aggregated per 5-minute interval per station entrance (288 intervals a
day). Each day profile is embedded with (entries, exits, interval-of-day,
station) and scored for "looks like a counter fault" vs "normal".
"""
import torch
import torch.nn as nn

INTERVALS_PER_DAY = 288


class TurnstileDayScorer(nn.Module):
    def __init__(self, n_stations=472, d_model=32, nhead=4):
        super().__init__()
        self.count_proj = nn.Linear(2, d_model)  # log entries, log exits
        self.tod = nn.Embedding(INTERVALS_PER_DAY, d_model)
        self.station = nn.Embedding(n_stations, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, dropout=0.0)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 64), nn.GELU(), nn.Linear(64, d_model))
        self.norm2 = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, 1)

    def forward(self, counts, station):
        # counts: (days, 288, 2) from the default DataLoader collate; station: (days,)
        B, T, _ = counts.shape
        tod = torch.arange(T, device=counts.device)
        x = self.count_proj(torch.log1p(counts)) + self.tod(tod)[None] + self.station(station)[:, None]
        a, _ = self.attn(x, x, x, need_weights=False)  # BUG: (days, intervals, dim) tensor into a seq-first MultiheadAttention
        x = self.norm1(x + a)
        x = self.norm2(x + self.ff(x))
        return self.out(x.mean(dim=1)).squeeze(-1)


def training_step(model, batch, opt):
    logit = model(batch["counts"], batch["station"])
    loss = nn.functional.binary_cross_entropy_with_logits(logit, batch["fault"].float())
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TurnstileDayScorer()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    B = 6
    batch = {
        "counts": torch.poisson(torch.full((B, INTERVALS_PER_DAY, 2), 30.0)),
        "station": torch.randint(0, 472, (B,)),
        "fault": torch.randint(0, 2, (B,)),
    }
    print(training_step(model, batch, opt))
