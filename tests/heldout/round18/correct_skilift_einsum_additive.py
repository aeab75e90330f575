"""Lift-line congestion scorer from RFID gate scans at a ski resort.

Each lift's last N gate scans (inter-arrival seconds, pass type, single-rider
flag) are summarised into a congestion level. Lifts with fewer scans in the
window are right-padded and carry ``scan_valid``.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ScanEncoder(nn.Module):
    def __init__(self, dim, n_pass_types=8):
        super().__init__()
        self.pass_type = nn.Embedding(n_pass_types, dim)
        self.num = nn.Linear(2, dim)

    def forward(self, pass_type, gap_s, single):
        return self.pass_type(pass_type) + self.num(torch.stack([torch.log1p(gap_s), single], dim=-1))


class EinsumAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, scan_valid):
        b, n, d = x.shape
        h = self.heads
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, h, d // h) for t in (q, k, v))
        logits = torch.einsum("bihd,bjhd->bhij", q, k) * self.scale
        bias = (1.0 - scan_valid.to(logits.dtype))[:, None, None, :] * torch.finfo(logits.dtype).min
        attn = (logits + bias).softmax(dim=-1)
        out = torch.einsum("bhij,bjhd->bihd", attn, v).reshape(b, n, d)
        return self.to_out(out)


class CongestionScorer(nn.Module):
    LEVELS = ("walk_on", "short", "moderate", "long", "closed_soon")

    def __init__(self, dim=32, depth=2):
        super().__init__()
        self.scans = ScanEncoder(dim)
        self.layers = nn.ModuleList(
            nn.ModuleList([nn.LayerNorm(dim), EinsumAttention(dim), nn.LayerNorm(dim), nn.Linear(dim, dim)])
            for _ in range(depth)
        )
        self.out = nn.Linear(dim, len(self.LEVELS))

    def forward(self, pass_type, gap_s, single, scan_valid):
        x = self.scans(pass_type, gap_s, single)
        for ln1, attn, ln2, ff in self.layers:
            x = x + attn(ln1(x), scan_valid)
            x = x + F.gelu(ff(ln2(x)))
        w = scan_valid.to(x.dtype).unsqueeze(-1)
        return self.out((x * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    B, N = 3, 40
    n_scans = torch.tensor([40, 22, 5])
    valid = torch.arange(N)[None] < n_scans[:, None]
    model = CongestionScorer()
    logits = model(torch.randint(0, 8, (B, N)), torch.rand(B, N) * 30, (torch.rand(B, N) > 0.9).float(), valid)
    print([CongestionScorer.LEVELS[i] for i in logits.argmax(-1)])
