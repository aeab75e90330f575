"""Temporal transformer over CLIP frame embeddings for text-to-video retrieval."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TemporalBlock(nn.Module):
    def __init__(self, width, n_head):
        super().__init__()
        self.n_head = n_head
        self.attn = nn.MultiheadAttention(width, n_head)
        self.ln_1, self.ln_2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, width * 4), nn.GELU(), nn.Linear(width * 4, width))

    def attention(self, x, frame_mask):
        per_head = torch.cat([frame_mask] * self.n_head, dim=0)
        return self.attn(x, x, x, need_weights=False, attn_mask=per_head)[0]  # expect: ML302

    def forward(self, x, frame_mask):
        x = x + self.attention(self.ln_1(x), frame_mask)
        return x + self.mlp(self.ln_2(x))


class VideoPooler(nn.Module):
    def __init__(self, width=512, heads=8, layers=2, max_frames=12):
        super().__init__()
        self.frame_pos = nn.Embedding(max_frames, width)
        self.blocks = nn.ModuleList(TemporalBlock(width, heads) for _ in range(layers))

    def forward(self, frames, video_mask):
        B, T, _ = frames.shape
        x = frames + self.frame_pos(torch.arange(T, device=frames.device))
        blocked = ~video_mask.bool()
        frame_mask = blocked[:, None, :].expand(B, T, T)
        x = x.permute(1, 0, 2)
        for blk in self.blocks:
            x = blk(x, frame_mask)
        x = x.permute(1, 0, 2) + frames
        w = video_mask.unsqueeze(-1).float()
        return F.normalize((x * w).sum(1) / w.sum(1), dim=-1)


if __name__ == "__main__":
    frames = torch.randn(4, 12, 512)
    video_mask = torch.ones(4, 12, dtype=torch.long)
    video_mask[1, 6:] = 0
    video_mask[3, 3:] = 0
    text = F.normalize(torch.randn(4, 512), dim=-1)
    sims = text @ VideoPooler()(frames, video_mask).t()
    print(sims.shape)
