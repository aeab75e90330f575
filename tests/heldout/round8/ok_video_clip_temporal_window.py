"""Temporal transformer over per-frame CLIP embeddings (CLIP4Clip "seqTransf"
head with a local temporal window).  Each clip has its own frame count, so the
attention mask is per-sample (N, T, T); nn.MultiheadAttention wants
(N * num_heads, T, T) laid out sample-major, hence repeat_interleave."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TemporalWindowTransformer(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2, window=2, max_frames=16):
        super().__init__()
        self.heads, self.window = heads, window
        self.frame_pos = nn.Embedding(max_frames, dim)
        self.layers = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))

    def blocked_mask(self, n_frames, T):
        idx = torch.arange(T)
        out_of_window = (idx[:, None] - idx[None, :]).abs() > self.window  # (T, T)
        padded_key = idx[None, :] >= n_frames[:, None]  # (N, T)
        blocked = out_of_window[None] | padded_key[:, None, :]  # (N, T, T)
        blocked &= ~torch.eye(T, dtype=torch.bool)[None]  # every frame may always see itself
        return blocked.repeat_interleave(self.heads, dim=0)  # (N*H, T, T)

    def forward(self, frame_emb, n_frames):
        N, T, _ = frame_emb.shape
        x = frame_emb + self.frame_pos(torch.arange(T))
        mask = self.blocked_mask(n_frames, T)
        for attn, ln in zip(self.layers, self.norms):
            h = ln(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        keep = (torch.arange(T)[None] < n_frames[:, None]).unsqueeze(-1).float()
        video = (x * keep).sum(1) / keep.sum(1)
        return F.normalize(video + (frame_emb * keep).sum(1) / keep.sum(1), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TemporalWindowTransformer().eval()
    frames = torch.randn(3, 12, 64)
    n = torch.tensor([12, 7, 3])
    with torch.no_grad():
        batched = model(frames, n)
        alone = torch.cat([model(frames[i : i + 1, : n[i]], n[i : i + 1]) for i in range(3)])
        frames2 = frames.clone()
        frames2[1, 7:] = 100.0
        batched2 = model(frames2, n)
    assert torch.allclose(batched, alone, atol=1e-5)
    assert torch.allclose(batched, batched2, atol=1e-5)
    assert not torch.isnan(batched).any()
    print("OK: per-sample masks expanded with repeat_interleave stay with their clip")
