import torch
import torch.nn.functional as F
from torch import nn


class Attention(nn.Module):
    def __init__(self, dim, heads=4, dim_head=8):
        super().__init__()
        inner_dim = dim_head * heads
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, inner_dim * 3, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x, mask=None):
        b, n, _ = x.shape
        h = self.heads
        q, k, v = map(lambda t: t.reshape(b, n, h, -1).transpose(1, 2), self.to_qkv(x).chunk(3, dim=-1))
        dots = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        mask_value = -torch.finfo(dots.dtype).max
        if mask is not None:
            mask = F.pad(mask.flatten(1), (1, 0), value=True)
            assert mask.shape[-1] == dots.shape[-1], "mask has incorrect dimensions"
            mask = mask[:, None, :] * mask[:, :, None]  # BUG
            dots.masked_fill_(~mask, mask_value)
        attn = dots.softmax(dim=-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class ViT(nn.Module):
    def __init__(self, image_size=16, patch_size=4, dim=32, num_classes=5, heads=4):
        super().__init__()
        num_patches = (image_size // patch_size) ** 2
        self.patch_size = patch_size
        self.to_patch_embedding = nn.Linear(3 * patch_size ** 2, dim)
        self.pos_embedding = nn.Parameter(torch.randn(1, num_patches + 1, dim))
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.attn = Attention(dim, heads=heads)
        self.mlp_head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, num_classes))

    def forward(self, img, mask=None):
        p = self.patch_size
        b, c, hh, ww = img.shape
        patches = img.reshape(b, c, hh // p, p, ww // p, p).permute(0, 2, 4, 3, 5, 1).reshape(b, -1, p * p * c)
        x = self.to_patch_embedding(patches)
        x = torch.cat((self.cls_token.expand(b, -1, -1), x), dim=1) + self.pos_embedding
        x = x + self.attn(x, mask=mask)
        return self.mlp_head(x[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ViT().eval()
    img = torch.randn(2, 3, 16, 16)
    mask = torch.ones(2, 4, 4, dtype=torch.bool)
    mask[1, 2:] = False
    try:
        with torch.no_grad():
            logits = model(img, mask=mask)
            img2 = img.clone()
            img2[1, :, 8:] = torch.randn(3, 8, 16)
            gap = (model(img2, mask=mask)[1] - logits[1]).abs().max().item()
        print(f"ok; logits change when masked-out patches are edited = {gap:.4f}")
    except RuntimeError as err:
        print(f"RuntimeError: {err}")
