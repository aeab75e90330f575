"""Open-vocabulary image tagger: a patch transformer, one logit per tag plus a final
"none of these" logit that inference drops."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, N, C = x.shape
        q, k, v = self.qkv(self.n1(x)).reshape(B, N, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        x = x + self.proj(F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(B, N, C))
        return x + self.mlp(self.n2(x))


class ImageTagger(nn.Module):
    def __init__(self, num_tags=20, d=64, h=4, patch=8):
        super().__init__()
        self.patch = nn.Conv2d(3, d, patch, patch)
        self.blocks = nn.ModuleList([Block(d, h) for _ in range(2)])
        self.head = nn.Linear(d, num_tags + 1)

    def forward(self, images):
        x = self.patch(images).flatten(2).transpose(1, 2)
        for b in self.blocks:
            x = b(x)
        return self.head(x.mean(1))

    @torch.no_grad()
    def predict(self, images, threshold=0.5):
        assert images.shape[1:] == (3, 32, 32), images.shape
        probs = self(images)[..., :-1].sigmoid()  # drop the "none" logit
        return probs > threshold


if __name__ == "__main__":
    print(ImageTagger().predict(torch.randn(2, 3, 32, 32)).shape)
