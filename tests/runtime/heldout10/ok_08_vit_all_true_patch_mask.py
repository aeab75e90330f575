# EXPECT: ok the collate function always produces a boolean keep-mask for SDPA, and for this fixed-resolution dataset it is all True by design (no padded patches), so the mask masks nothing on purpose.
"""Vision Transformer classifier in the style of timm VisionTransformer (fused SDPA attention), sharing a collate path with a variable-resolution pipeline that emits patch masks."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.p = p

    def forward(self, x, keep):
        B, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=self.p if self.training else 0.0)
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads, p)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Dropout(p), nn.Linear(2 * dim, dim))
        self.drop = nn.Dropout(p)

    def forward(self, x, keep):
        x = x + self.drop(self.attn(self.norm1(x), keep))
        return x + self.drop(self.mlp(self.norm2(x)))


class ViT(nn.Module):
    def __init__(self, img=16, patch=4, dim=32, depth=2, heads=4, classes=6, p=0.1):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, patch)
        n = (img // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.blocks = nn.ModuleList([Block(dim, heads, p) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, images, patch_keep):
        x = self.patch_embed(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], 1) + self.pos_embed
        keep = torch.cat([torch.ones(x.size(0), 1, dtype=torch.bool), patch_keep], 1)[:, None, None, :]
        for blk in self.blocks:
            x = blk(x, keep)
        return self.head(self.norm(x)[:, 0])


def collate(images, patch=4):
    batch = torch.stack(images)
    h, w = batch.shape[-2:]
    patch_keep = torch.ones(batch.size(0), (h // patch) * (w // patch), dtype=torch.bool)
    return batch, patch_keep


def run():
    torch.manual_seed(0)
    model = ViT()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    imgs, keep = collate([torch.randn(3, 16, 16) for _ in range(3)])
    model.train()
    loss = F.cross_entropy(model(imgs, keep), torch.tensor([0, 5, 2]))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        imgs2, keep2 = collate([torch.randn(3, 16, 16) for _ in range(2)])
        logits = model(imgs2, keep2)
    return [loss.detach(), *grads, logits]
