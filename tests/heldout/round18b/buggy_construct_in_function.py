"""Speaker verification: frame encoder + multi-head attentive statistics pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AttentiveStatsPool(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.query = nn.Parameter(torch.randn(heads, dim // heads))
        self.kv = nn.Linear(dim, 2 * dim)
        self.emb = nn.Linear(2 * dim, 64)

    def forward(self, frames, frame_mask):
        B, T, D = frames.shape
        k, v = self.kv(frames).view(B, T, 2, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        q = self.query[None, :, None, :].expand(B, -1, 1, -1)
        mean = F.scaled_dot_product_attention(q, k, v, attn_mask=frame_mask[:, None, None, :])
        sq = F.scaled_dot_product_attention(q, k, v * v, attn_mask=frame_mask[:, None, None, :])
        std = (sq - mean * mean).clamp(min=1e-5).sqrt()
        stats = torch.cat([mean.reshape(B, D), std.reshape(B, D)], dim=-1)
        return F.normalize(self.emb(stats), dim=-1)


def lengths_to_padding(lengths, max_len):
    return torch.arange(max_len)[None, :] >= lengths[:, None]


def run_demo():
    torch.manual_seed(0)
    frames = torch.randn(3, 50, 32)
    lengths = torch.tensor([50, 34, 21])
    pad = lengths_to_padding(lengths, frames.size(1))
    pool = AttentiveStatsPool(32)
    emb = pool(frames, pad)  # BUG: pad is True on padding frames; the pooler hands it to SDPA, which attends True
    scores = emb @ emb.t()
    print("cos", [round(s, 4) for s in scores[0].tolist()])


if __name__ == "__main__":
    run_demo()
