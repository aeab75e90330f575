import torch
import torch.nn as nn


class FrameStem(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 16, 4, 4), nn.GELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, dim))

    def forward(self, video):
        b, t = video.shape[:2]
        return self.net(video.flatten(0, 1)).view(b, t, -1)


class TemporalBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, clip_mask):
        h = self.norm(x)
        x = x + self.attn(h, h, h, attn_mask=clip_mask)[0]  # expect: ML302
        return x + self.mlp(x)


class ClipLocalizer(nn.Module):
    """Frames attend only to frames of the same shot; shot boundaries come from the dataloader."""

    def __init__(self, dim=64, heads=4, depth=2, num_classes=10):
        super().__init__()
        self.heads = heads
        self.stem = FrameStem(dim)
        self.blocks = nn.ModuleList([TemporalBlock(dim, heads) for _ in range(depth)])
        self.cls = nn.Linear(dim, num_classes)

    def shot_mask(self, shot_ids, valid):
        cross_shot = shot_ids.unsqueeze(2) != shot_ids.unsqueeze(1)
        blocked = cross_shot | ~valid.unsqueeze(1)
        blocked = blocked & ~torch.eye(shot_ids.size(1), dtype=torch.bool, device=shot_ids.device)
        return blocked.repeat(self.heads, 1, 1)

    def forward(self, video, shot_ids, valid):
        x = self.stem(video)
        mask = self.shot_mask(shot_ids, valid)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.cls(x)


if __name__ == "__main__":
    model = ClipLocalizer()
    video = torch.randn(2, 8, 3, 32, 32)
    shots = torch.tensor([[0, 0, 0, 1, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1, 1, 1]])
    valid = torch.tensor([[True] * 8, [True] * 6 + [False] * 2])
    print(model(video, shots, valid).shape)
