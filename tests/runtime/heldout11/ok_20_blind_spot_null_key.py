# EXPECT: ok
"""Blind-spot next-step model: each position may look only at strictly earlier positions, never
at itself. A learned null key/value is prepended so the first position still has a key."""
import torch
import torch.nn as nn


def blind_spot_mask(T, device=None):
    """(T, T + 1) bool in MHA convention: column 0 is the null slot (always visible)."""
    on_or_after = torch.ones(T, T, dtype=torch.bool, device=device).triu()   # blocks self and future
    null_col = torch.zeros(T, 1, dtype=torch.bool, device=device)
    return torch.cat([null_col, on_or_after], dim=1)


class BlindSpotLayer(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.null_kv = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.attn = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(2 * d, d))

    def forward(self, q_stream, content, mask):
        kv = torch.cat([self.null_kv.expand(content.size(0), -1, -1), content], dim=1)
        a, _ = self.attn(q_stream, kv, kv, attn_mask=mask)
        q_stream = self.norm(q_stream + a)
        return q_stream + self.ff(q_stream)


class BlindSpotPredictor(nn.Module):
    def __init__(self, n_feat=4, d=32, h=4, n=2, p=0.1, max_len=32):
        super().__init__()
        self.inp = nn.Linear(n_feat, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([BlindSpotLayer(d, h, p) for _ in range(n)])
        self.out = nn.Linear(d, n_feat)

    def forward(self, x):
        T = x.size(1)
        pos = self.pos(torch.arange(T))
        content = self.inp(x) + pos
        q = pos.expand(x.size(0), -1, -1)
        mask = blind_spot_mask(T, x.device)
        for layer in self.layers:
            q = layer(q, content, mask)
        return self.out(q)                      # prediction of x_t from x_<t


def run():
    torch.manual_seed(0)
    model = BlindSpotPredictor()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    t = torch.linspace(0, 6.28, 12)
    x = torch.stack([torch.sin(t + i) for i in range(4)], -1)[None].repeat(3, 1, 1) + 0.1 * torch.randn(3, 12, 4)
    model.train()
    loss = nn.functional.mse_loss(model(x), x)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(x)
    return [loss.detach(), ev]
