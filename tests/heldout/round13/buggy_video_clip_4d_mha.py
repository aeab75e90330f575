"""Temporal aggregator for video-text retrieval (frame features -> clip embedding).

Clips are padded to a fixed number of frames; the frame mask follows the
Hugging Face convention so it can be shared with the text tower.
"""
import torch
import torch.nn as nn


def extended_frame_mask(frame_mask: torch.Tensor, num_heads: int) -> torch.Tensor:
    """(N, F) 1/0 -> (N, H, F, F) bool, True = do not attend (nn.MultiheadAttention convention)."""
    blocked = frame_mask == 0
    n, f = blocked.shape
    return blocked[:, None, None, :].expand(n, num_heads, f, f)


class TemporalTransformer(nn.Module):
    def __init__(self, dim=512, heads=8, layers=2, max_frames=32):
        super().__init__()
        self.heads = heads
        self.frame_pos = nn.Embedding(max_frames, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.proj = nn.Linear(dim, 256)

    def forward(self, frames, frame_mask):
        x = frames + self.frame_pos.weight[: frames.size(1)]
        mask = extended_frame_mask(frame_mask, self.heads)
        for attn, norm in zip(self.attn, self.norms):
            h, _ = attn(x, x, x, attn_mask=mask)  # expect: ML301
            x = norm(x + h)
        w = frame_mask.unsqueeze(-1).float()
        return nn.functional.normalize(self.proj((x * w).sum(1) / w.sum(1)), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    frames = torch.randn(4, 32, 512)
    lens = torch.tensor([32, 20, 12, 32])
    frame_mask = (torch.arange(32)[None] < lens[:, None]).long()
    model = TemporalTransformer()
    try:
        emb = model(frames, frame_mask)
        print("clip embeddings", tuple(emb.shape))
    except (AssertionError, RuntimeError) as err:
        print("forward failed:", err)
