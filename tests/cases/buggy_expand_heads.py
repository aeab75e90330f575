"""Cross-modal block: text tokens attend over video clips with per-sample masks."""
import torch
import torch.nn as nn


class ClipTextCrossBlock(nn.Module):
    def __init__(self, d_model: int = 64, num_heads: int = 4):
        super().__init__()
        self.num_heads = num_heads
        self.attn = nn.MultiheadAttention(d_model, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, text: torch.Tensor, clips: torch.Tensor, clip_pad: torch.Tensor) -> torch.Tensor:
        # text: (N, L, E); clips: (N, S, E); clip_pad: (N, S) with True = padded clip
        L, S = text.size(1), clips.size(1)
        per_query = clip_pad[:, None, :].expand(-1, L, -1)
        per_head = per_query.unsqueeze(0).expand(self.num_heads, -1, -1, -1).reshape(-1, L, S)
        h, _ = self.attn(text, clips, clips, attn_mask=per_head, need_weights=False)  # expect: ML302
        return self.norm(text + h)
