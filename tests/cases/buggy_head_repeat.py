"""Per-sample 3-D masks stacked head-major with .repeat (P3-1, CLIP4Clip; P3-2).

nn.MultiheadAttention indexes a 3-D mask as mask[b * num_heads + h]; .repeat(n_head, 1, 1)
lays it out as mask[h * N + b], so heads of one sample get the masks of other samples.
"""
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
        attn_mask_ = attn_mask.repeat(self.n_head, 1, 1)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]  # expect: ML302

    def forward(self, x, attn_mask):
        x = x + self.attention(self.ln_1(x), attn_mask)
        return x + self.mlp(self.ln_2(x))


class CrossFrameEncoder(nn.Module):
    def __init__(self, d_model=512, n_head=8):
        super().__init__()
        self.n_head = n_head
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)

    def forward(self, frames, frame_pad):
        # frames: (N, L, E); frame_pad: (N, L), True = padded frame
        L = frames.size(1)
        per_sample = frame_pad[:, None, :].expand(-1, L, -1)
        stacked = per_sample.repeat(self.n_head, 1, 1)
        out, _ = self.attn(frames, frames, frames, attn_mask=stacked, need_weights=False)  # expect: ML302
        return out
