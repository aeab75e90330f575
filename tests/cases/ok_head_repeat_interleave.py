"""Per-sample 3-D masks stacked sample-major, as nn.MultiheadAttention reads them (b * H + h)."""
import torch
import torch.nn as nn


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head = n_head
        self.attn = nn.MultiheadAttention(d_model, n_head)  # (L, N, E)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.ln_2 = nn.LayerNorm(d_model)

    def attention(self, x, attn_mask):
        attn_mask_ = attn_mask.repeat_interleave(self.n_head, dim=0)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, x, attn_mask):
        x = x + self.attention(self.ln_1(x), attn_mask)
        return x + self.mlp(self.ln_2(x))


class CrossFrameEncoder(nn.Module):
    def __init__(self, d_model=512, n_head=8):
        super().__init__()
        self.n_head = n_head
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)

    def forward(self, frames, frame_pad):
        N, L, _ = frames.shape
        per_sample = frame_pad[:, None, :].expand(-1, L, -1)
        stacked = per_sample.repeat_interleave(self.n_head, dim=0)
        out, _ = self.attn(frames, frames, frames, attn_mask=stacked, need_weights=False)
        by_head = frame_pad[:, None, None, :].expand(N, self.n_head, L, L).reshape(N * self.n_head, L, L)
        out2, _ = self.attn(frames, frames, frames, attn_mask=by_head, need_weights=False)
        return out + out2


class SharedMaskBlock(nn.Module):
    """A single (L, S) mask needs no stacking; repeat on it is harmless."""

    def __init__(self, d_model=512, n_head=8):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)

    def forward(self, x):
        T = x.size(1)
        future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        return self.attn(x, x, x, attn_mask=future, need_weights=False)[0]
