"""Temporal grounding encoder: per-video pair masks tiled over heads with einops in the
(b h) order that nn.MultiheadAttention indexes as b * num_heads + h."""
import torch
import torch.nn as nn
from einops import rearrange, repeat


class GroundingEncoder(nn.Module):
    def __init__(self, d_model=128, nhead=4, layers=2):
        super().__init__()
        self.nhead = nhead
        self.attn = nn.ModuleList(nn.MultiheadAttention(d_model, nhead) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(layers))

    def forward(self, clips, clip_valid):
        # clips: (B, L, D) -> sequence first for the stock attention
        L = clips.size(1)
        blocked = ~(clip_valid[:, :, None] & clip_valid[:, None, :])
        blocked = blocked & ~torch.eye(L, dtype=torch.bool, device=clips.device)
        pair_mask = repeat(blocked, "b l s -> (b h) l s", h=self.nhead)
        x = rearrange(clips, "b l d -> l b d")
        for attn, norm in zip(self.attn, self.norms):
            x = norm(x + attn(x, x, x, attn_mask=pair_mask, need_weights=False)[0])
        return rearrange(x, "l b d -> b l d")


if __name__ == "__main__":
    enc = GroundingEncoder()
    valid = torch.ones(3, 10, dtype=torch.bool)
    valid[1, 6:] = False
    valid[2, 3:] = False
    print(enc(torch.randn(3, 10, 128), valid).shape)
