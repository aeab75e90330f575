import torch
import torch.nn.functional as F
from torch import nn, einsum
from einops import rearrange, repeat


class Attention(nn.Module):
    def __init__(self, dim, heads=8, dim_head=64):
        super().__init__()
        inner = heads * dim_head
        self.heads, self.scale = heads, dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, inner * 3, bias=False)
        self.to_out = nn.Linear(inner, dim)

    def forward(self, x, mask=None):
        q, k, v = map(lambda t: rearrange(t, "b n (h d) -> b h n d", h=self.heads), self.to_qkv(x).chunk(3, dim=-1))
        dots = einsum("b h i d, b h j d -> b h i j", q, k) * self.scale
        mask_value = -torch.finfo(dots.dtype).max
        if mask is not None:
            mask = F.pad(mask, (1, 0), value=True)  # cls token is always present
            mask = mask[:, None, :] & mask[:, :, None]
            dots = dots.masked_fill(~mask, mask_value)  # BUG
        attn = dots.softmax(dim=-1)
        return self.to_out(rearrange(einsum("b h i j, b h j d -> b h i d", attn, v), "b h n d -> b n (h d)"))


class MaskedViT(nn.Module):
    """ViT over a variable number of patches per image (padded), e.g. for native-resolution inputs."""

    def __init__(self, patch_dim=768, dim=128, depth=2, heads=4, num_classes=10, max_patches=256):
        super().__init__()
        self.to_patch = nn.Linear(patch_dim, dim)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, max_patches + 1, dim) * 0.02)
        self.layers = nn.ModuleList(Attention(dim, heads, dim // heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, num_classes)

    def forward(self, patches, patch_mask):
        x = self.to_patch(patches)
        cls = repeat(self.cls_token, "() n d -> b n d", b=x.size(0))
        x = torch.cat((cls, x), dim=1)
        x = x + self.pos[:, : x.size(1)]
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), mask=patch_mask)
        return self.head(x[:, 0])

    def training_step(self, batch):
        logits = self(batch["patches"], batch["attention_mask"].bool())
        return F.cross_entropy(logits, batch["labels"])
