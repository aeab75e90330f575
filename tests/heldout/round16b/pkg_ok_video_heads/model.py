import torch
import torch.nn as nn

from .masks import frame_causal_mask


class FramePredictor(nn.Module):
    def __init__(self, patch=8, img=32, dim=64, heads=4, depth=2):
        super().__init__()
        self.heads, self.ppf = heads, (img // patch) ** 2
        self.patchify = nn.Conv2d(3, dim, patch, patch)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, dim)

    def forward(self, clips, frame_valid):
        b, t = clips.shape[:2]
        x = self.patchify(clips.flatten(0, 1)).flatten(2).transpose(1, 2).reshape(b, t * self.ppf, -1)
        mask = frame_causal_mask(frame_valid, self.ppf, self.heads)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return self.head(x)


if __name__ == "__main__":
    print(FramePredictor()(torch.randn(2, 4, 3, 32, 32), torch.tensor([[True] * 4, [True, True, False, False]])).shape)
