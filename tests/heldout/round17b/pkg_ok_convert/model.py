"""Two-stage model: per-pass channel mixing (MHA) then causal forecasting (SDPA)."""
import torch
import torch.nn.functional as F
from torch import nn

from .masks import causal_keep, for_sdpa, for_torch_mha, valid_steps


class TelemetryForecaster(nn.Module):
    def __init__(self, channels=12, dim=48, heads=4):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(channels, dim)
        self.mix = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, channels)

    def forward(self, telemetry, lengths):
        b, n, _ = telemetry.shape
        x = self.inp(telemetry)
        valid = valid_steps(lengths, n)
        causal = causal_keep(n, x.device)
        visible = causal[None] & valid[:, None, :]
        mha_mask = for_torch_mha(visible).repeat_interleave(self.heads, dim=0)
        h, _ = self.mix(x, x, x, attn_mask=mha_mask)
        x = x + torch.nan_to_num(h)
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=for_sdpa(visible)[:, None])
        x = x + self.proj(y.transpose(1, 2).reshape(b, n, -1))
        return self.out(x)


def passes(seed=0):
    g = torch.Generator().manual_seed(seed)
    lengths = torch.tensor([30, 18, 25])
    tele = torch.randn(3, 30, 12, generator=g).cumsum(1) * 0.1
    for i, n in enumerate(lengths.tolist()):
        tele[i, n:] = 0.0
    return tele, lengths


if __name__ == "__main__":
    torch.manual_seed(0)
    tele, lengths = passes()
    model = TelemetryForecaster()
    pred = model(tele[:, :-1], lengths - 1)
    print(F.mse_loss(pred[0], tele[0, 1:]).item())
