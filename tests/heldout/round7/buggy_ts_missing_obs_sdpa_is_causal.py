"""Autoregressive forecaster for series with missing observations: missing
steps are hidden as keys, the model is causal over time. Fused attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MissingAwareAttention(nn.Module):
    def __init__(self, d, heads, p_drop=0.1):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.p_drop = p_drop

    def forward(self, x, observed):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        seen = observed[:, None, None, :] | torch.eye(T, dtype=torch.bool)  # a step always sees itself
        y = F.scaled_dot_product_attention(  # expect: ML403
            q, k, v,
            attn_mask=seen,
            dropout_p=self.p_drop if self.training else 0.0,
            is_causal=True,
        )
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class GapForecaster(nn.Module):
    def __init__(self, d=32, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(2, d)
        self.layers = nn.ModuleList([MissingAwareAttention(d, heads) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(d) for _ in range(depth)])
        self.out = nn.Linear(d, 1)

    def forward(self, values, observed):
        x = self.inp(torch.stack([torch.where(observed, values, 0.0), observed.float()], -1))
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), observed)
        return self.out(x).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GapForecaster()
    values = torch.randn(2, 10)
    observed = torch.rand(2, 10) > 0.2
    values[~observed] = float("nan")
    model.eval()
    with torch.no_grad():
        print("eval ran on the default CPU kernel:", model(values, observed).shape)
    model.train()
    try:
        pred = model(values, observed)
        loss = F.mse_loss(pred[:, :-1][observed[:, 1:]], values[:, 1:][observed[:, 1:]])
        loss.backward()
        print("train ran")
    except RuntimeError as e:
        print("train failed:", e)
