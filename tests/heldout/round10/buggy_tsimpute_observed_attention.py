"""Self-attention imputation for irregular multivariate series (SAITS-style diagonally-masked blocks, simplified)."""
import math

import torch
import torch.nn as nn


class ObservedStepAttention(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.0):
        super().__init__()
        self.n_heads = n_heads
        self.d_k = d_model // n_heads
        self.w_qs = nn.Linear(d_model, d_model, bias=False)
        self.w_ks = nn.Linear(d_model, d_model, bias=False)
        self.w_vs = nn.Linear(d_model, d_model, bias=False)
        self.fc = nn.Linear(d_model, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, observed_steps):
        # observed_steps: (B, T) bool, True where at least one variable was measured
        B, T, _ = x.shape
        q = self.w_qs(x).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        k = self.w_ks(x).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        v = self.w_vs(x).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        attn = torch.matmul(q / math.sqrt(self.d_k), k.transpose(2, 3))
        attn = attn.masked_fill(observed_steps[:, None, None, :], float("-inf"))  # expect: ML101
        attn = self.dropout(torch.softmax(attn, dim=-1))
        out = torch.matmul(attn, v).transpose(1, 2).reshape(B, T, -1)
        return self.fc(out)


class Imputer(nn.Module):
    def __init__(self, n_features, d_model=64, n_heads=4, n_layers=2, max_len=96):
        super().__init__()
        self.inp = nn.Linear(2 * n_features, d_model)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d_model))
        self.layers = nn.ModuleList(ObservedStepAttention(d_model, n_heads) for _ in range(n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(n_layers))
        self.out = nn.Linear(d_model, n_features)

    def forward(self, values, value_mask):
        # values (B,T,F) with NaN replaced by 0; value_mask (B,T,F) 1 = observed
        observed_steps = value_mask.any(dim=-1)
        h = self.inp(torch.cat([values * value_mask, value_mask], dim=-1)) + self.pos[:, : values.size(1)]
        for attn, norm in zip(self.layers, self.norms):
            h = h + attn(norm(h), observed_steps)
        recon = self.out(h)
        return value_mask * values + (1 - value_mask) * recon, recon


def masked_mae(pred, target, mask):
    return (torch.abs(pred - target) * mask).sum() / mask.sum().clamp(min=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T, F = 4, 48, 7
    series = torch.sin(torch.linspace(0, 12, T))[None, :, None] + 0.1 * torch.randn(B, T, F)
    value_mask = (torch.rand(B, T, F) > 0.3).float()
    value_mask[:, 20:26] = 0.0
    model = Imputer(F)
    imputed, recon = model(series * value_mask, value_mask)
    hold_out = 1 - value_mask
    print(imputed.shape, masked_mae(recon, series, hold_out).item())
