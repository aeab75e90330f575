"""A padding mask given a column for a CLS / register token (torch.cat with a constant column in
the mask's own polarity) is still that padding mask, its polarity checked where it is consumed."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TemporalHead(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, z, num_frames):
        B, T = z.shape[0], z.shape[1] - 1
        frame_keep = torch.arange(T, device=z.device)[None] < num_frames[:, None]
        keep = torch.cat([frame_keep.new_ones(B, 1), frame_keep], dim=1)
        return self.attn(z, z, z, key_padding_mask=keep)[0]  # expect: ML101


class PatchEncoder(nn.Module):
    def __init__(self, d=32, registers=4):
        super().__init__()
        self.r, self.qkv = registers, nn.Linear(d, 3 * d)

    def forward(self, x, patch_ids, pad_id=0):
        B, L, D = x.shape
        is_pad = patch_ids == pad_id
        is_pad = torch.cat((torch.zeros(B, self.r, dtype=torch.bool, device=x.device), is_pad), -1)
        q, k, v = self.qkv(x).view(B, L, 3, 4, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=is_pad[:, None, None, :])  # expect: ML102
