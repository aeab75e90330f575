"""ViT with optional patch mask (functional forward over a parameter dict)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def init_vit(dim=32, depth=2, heads=4, patch=4, channels=3, num_classes=10):
    p = nn.ParameterDict()
    p["patch_w"] = nn.Parameter(torch.randn(dim, channels * patch * patch) * 0.02)
    p["cls"] = nn.Parameter(torch.zeros(1, 1, dim))
    for i in range(depth):
        p[f"qkv{i}"] = nn.Parameter(torch.randn(3 * dim, dim) * 0.02)
        p[f"out{i}"] = nn.Parameter(torch.randn(dim, dim) * 0.02)
    p["head"] = nn.Parameter(torch.randn(num_classes, dim) * 0.02)
    return p, dict(dim=dim, depth=depth, heads=heads, patch=patch)


def attention(x, w_qkv, w_out, heads, mask=None):
    b, n, d = x.shape
    q, k, v = F.linear(x, w_qkv).view(b, n, 3, heads, d // heads).permute(2, 0, 3, 1, 4)
    dots = torch.einsum("bhid,bhjd->bhij", q, k) * (d // heads) ** -0.5
    if mask is not None:
        mask = F.pad(mask.flatten(1), (1, 0), value=True)
        mask = mask[:, None, :] * mask[:, :, None]  # BUG
        dots.masked_fill_(~mask, float("-inf"))  # BUG
    attn = dots.softmax(dim=-1)
    out = torch.einsum("bhij,bhjd->bhid", attn, v).transpose(1, 2).reshape(b, n, d)
    return F.linear(out, w_out)


def vit_forward(params, cfg, img, mask=None):
    p = cfg["patch"]
    patches = F.unfold(img, kernel_size=p, stride=p).transpose(1, 2)
    x = F.linear(patches, params["patch_w"])
    x = torch.cat([params["cls"].expand(x.shape[0], -1, -1), x], dim=1)
    for i in range(cfg["depth"]):
        x = x + attention(F.layer_norm(x, (cfg["dim"],)), params[f"qkv{i}"], params[f"out{i}"], cfg["heads"], mask)
    return F.linear(x[:, 0], params["head"])


if __name__ == "__main__":
    torch.manual_seed(0)
    params, cfg = init_vit()
    img = torch.randn(2, 3, 16, 16)
    mask = torch.ones(2, 4, 4, dtype=torch.bool)
    mask[1, 2:] = False
    print(vit_forward(params, cfg, img, mask).shape)
