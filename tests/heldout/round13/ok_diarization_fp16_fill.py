"""Speaker-diarization embedder run in fp16 at inference (eager attention, padded segments)."""
import torch
import torch.nn as nn


class SegmentAttention(nn.Module):
    def __init__(self, dim=128, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, frame_keep):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (D // self.heads) ** -0.5
        neg = torch.finfo(scores.dtype).min  # representable in fp16/bf16/fp32 alike
        scores = scores.masked_fill(~frame_keep[:, None, None, :], neg)
        return self.out(torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(B, T, D))


class DiarEmbedder(nn.Module):
    def __init__(self, n_feats=80, dim=128, heads=4, layers=2, emb=192):
        super().__init__()
        self.inp = nn.Linear(n_feats, dim)
        self.attn = nn.ModuleList(SegmentAttention(dim, heads) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.emb = nn.Linear(dim, emb)

    def forward(self, fbank, frame_keep):
        x = self.inp(fbank)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, frame_keep))
        w = frame_keep.unsqueeze(-1).to(x.dtype)
        return nn.functional.normalize(self.emb((x * w).sum(1) / w.sum(1)), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    fbank = torch.randn(6, 150, 80)
    lengths = torch.tensor([150, 150, 120, 90, 40, 150])
    keep = torch.arange(150)[None] < lengths[:, None]
    model = DiarEmbedder().eval()
    with torch.inference_mode():
        ref = model(fbank, keep)
        half = model.half()(fbank.half(), keep).float()
    print("fp16 vs fp32 cosine", [round(c, 3) for c in (ref * half).sum(-1).tolist()])
