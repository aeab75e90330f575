"""Next-step predictive anomaly detector for multivariate sensor streams: a
causal self-attention stack predicts x[t+1]; the anomaly score is the
prediction error. Strictly-past masking so a step never 'copies itself'."""
import torch
import torch.nn as nn


def strictly_past_mask(n: int) -> torch.Tensor:
    # True = blocked. Block the future and the step itself.
    return torch.triu(torch.ones(n, n, dtype=torch.bool))


class CausalSensorBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        n = x.size(1)
        h = self.norm(x)
        a, _ = self.attn(
            h, h, h,
            attn_mask=strictly_past_mask(n),  # expect: ML404
        )
        x = x + a
        return x + self.mlp(x)


class NextStepPredictor(nn.Module):
    def __init__(self, n_sensors=4, d=32, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(n_sensors, d)
        self.blocks = nn.Sequential(*[CausalSensorBlock(d, heads) for _ in range(depth)])
        self.out = nn.Linear(d, n_sensors)

    def anomaly_scores(self, x):
        pred = self.out(self.blocks(self.inp(x)))
        return (pred[:, :-1] - x[:, 1:]).pow(2).mean(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = NextStepPredictor()
    stream = torch.randn(2, 12, 4)
    scores = model.anomaly_scores(stream)
    print("anomaly scores NaN:", torch.isnan(scores).any().item())
    assert torch.isnan(scores).any()
