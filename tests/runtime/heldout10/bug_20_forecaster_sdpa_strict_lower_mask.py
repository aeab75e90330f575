# EXPECT: bug the causal keep-mask is torch.tril(..., diagonal=-1), an off-by-one that hides each step from itself and leaves the first query row with no attendable key (SDPA returns zeros for it).
"""Autoregressive time-series forecaster (decoder-only, patch tokens) in the style of amazon-science/chronos / TimesFM-like decoders, using scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalAttention(nn.Module):
    def __init__(self, d_model, n_heads, dropout):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)
        self.dropout = dropout

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_heads, D // self.n_heads).permute(2, 0, 3, 1, 4)
        allowed = torch.tril(torch.ones(T, T, dtype=torch.bool), diagonal=-1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed, dropout_p=self.dropout if self.training else 0.0)  # BUG-SITE
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class DecoderLayer(nn.Module):
    def __init__(self, d_model, n_heads, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalAttention(d_model, n_heads, dropout)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        x = x + self.drop(self.attn(self.ln1(x)))
        return x + self.drop(self.ff(self.ln2(x)))


class PatchForecaster(nn.Module):
    def __init__(self, patch_len=4, d_model=32, n_heads=4, n_layers=2, max_patches=16, dropout=0.1):
        super().__init__()
        self.patch_len = patch_len
        self.input_proj = nn.Linear(2 * patch_len, d_model)
        self.pos = nn.Parameter(torch.randn(1, max_patches, d_model) * 0.02)
        self.layers = nn.ModuleList([DecoderLayer(d_model, n_heads, dropout) for _ in range(n_layers)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, patch_len)

    def forward(self, series):
        B, L = series.shape
        loc = series.mean(-1, keepdim=True)
        scale = series.std(-1, keepdim=True) + 1e-5
        z = (series - loc) / scale
        patches = z.view(B, L // self.patch_len, self.patch_len)
        feats = torch.cat([patches, patches.diff(dim=-1, prepend=patches[..., :1])], -1)
        x = self.input_proj(feats) + self.pos[:, : patches.size(1)]
        for layer in self.layers:
            x = layer(x)
        pred = self.head(self.norm(x))
        return pred * scale.unsqueeze(-1) + loc.unsqueeze(-1)

    @torch.no_grad()
    def forecast(self, context, horizon_patches):
        series = context
        for _ in range(horizon_patches):
            nxt = self(series)[:, -1]
            series = torch.cat([series, nxt], dim=1)
        return series[:, context.size(1):]


def run():
    torch.manual_seed(0)
    model = PatchForecaster()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    t = torch.arange(36).float()
    series = torch.stack([torch.sin(t / 3), torch.cos(t / 5) * 2 + 1, 0.1 * t]) + 0.05 * torch.randn(3, 36)
    inp, tgt = series[:, :32], series[:, 4:36]
    model.train()
    pred = model(inp)
    loss = F.l1_loss(pred.reshape(3, -1), tgt)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    fc = model.forecast(series[:, :16], 3)
    return [loss.detach(), *grads, fc]
