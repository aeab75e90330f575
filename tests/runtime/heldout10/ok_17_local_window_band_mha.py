# EXPECT: ok a per-sample sliding-window bool attn_mask for nn.MultiheadAttention, (|i - j| > window) | key_is_pad with the diagonal re-opened (True = blocked), expanded to (N*H, T, T) with repeat_interleave; padded frames far from real ones still see themselves, so no row is fully masked.
"""Local-attention encoder for frame-level audio event detection, in the style of lucidrains/local-attention and Longformer-style sliding windows, on nn.MultiheadAttention."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def sliding_window_mask(T, window):
    idx = torch.arange(T)
    return (idx[None, :] - idx[:, None]).abs() > window


class LocalBlock(nn.Module):
    def __init__(self, d, h, window, p):
        super().__init__()
        self.window = window
        self.attn = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.norm1 = nn.LayerNorm(d)
        self.conv = nn.Conv1d(d, d, 3, padding=1, groups=d)
        self.norm2 = nn.LayerNorm(d)
        self.drop = nn.Dropout(p)

    def forward(self, x, pad):
        T = x.size(1)
        blocked = sliding_window_mask(T, self.window)[None] | pad[:, None, :]
        blocked = blocked & ~torch.eye(T, dtype=torch.bool)[None]
        attn_mask = blocked.repeat_interleave(self.attn.num_heads, dim=0)
        a, _ = self.attn(x, x, x, attn_mask=attn_mask, need_weights=False)
        x = self.norm1(x + self.drop(a))
        c = self.conv(x.masked_fill(pad[..., None], 0.0).transpose(1, 2)).transpose(1, 2)
        return self.norm2(x + self.drop(F.silu(c)))


class SoundEventDetector(nn.Module):
    def __init__(self, n_mels=20, d=32, h=4, layers=2, window=2, classes=4, p=0.1):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.blocks = nn.ModuleList([LocalBlock(d, h, window, p) for _ in range(layers)])
        self.cls = nn.Linear(d, classes)

    def forward(self, feats, lengths):
        pad = torch.arange(feats.size(1))[None] >= lengths[:, None]
        x = self.inp(feats)
        for b in self.blocks:
            x = b(x, pad)
        return self.cls(x), pad


def run():
    torch.manual_seed(0)
    model = SoundEventDetector()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    feats = torch.randn(3, 12, 20)
    lengths = torch.tensor([12, 7, 9])
    targets = (torch.rand(3, 12, 4) > 0.7).float()
    model.train()
    logits, pad = model(feats, lengths)
    loss = F.binary_cross_entropy_with_logits(logits[~pad], targets[~pad])
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        logits2, pad2 = model(torch.randn(2, 10, 20), torch.tensor([6, 10]))
        probs = torch.sigmoid(logits2).masked_fill(pad2[..., None], 0.0)
    return [loss.detach(), *grads, probs]
