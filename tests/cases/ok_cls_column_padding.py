"""Twins of buggy_cls_column_padding: each mask reaches the API that reads its polarity."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TemporalHead(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, z, num_frames):
        B, T = z.shape[0], z.shape[1] - 1
        frame_pad = torch.arange(T, device=z.device)[None] >= num_frames[:, None]
        pad = torch.cat([frame_pad.new_zeros(B, 1), frame_pad], dim=1)
        return self.attn(z, z, z, key_padding_mask=pad)[0]


class PatchEncoder(nn.Module):
    def __init__(self, d=32, registers=4):
        super().__init__()
        self.r, self.qkv = registers, nn.Linear(d, 3 * d)

    def forward(self, x, patch_ids, pad_id=0):
        B, L, D = x.shape
        real = patch_ids != pad_id
        real = torch.cat((torch.ones(B, self.r, dtype=torch.bool, device=x.device), real), -1)
        q, k, v = self.qkv(x).view(B, L, 3, 4, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=real[:, None, None, :])
