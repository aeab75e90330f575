# EXPECT: bug the patch validity mask (1.0 = real patch, 0.0 = padding) is passed as a float attn_mask to F.scaled_dot_product_attention, which adds it to the logits, so padded patches of smaller images are not masked.
"""Vision Transformer for variable-resolution images packed on a padded patch grid, in the style of timm's VisionTransformer Attention (fused_attn path) with NaViT-like patch padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, num_heads=4, qkv_bias=True, attn_drop=0.1, proj_drop=0.1):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = attn_drop
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x, attn_mask=None):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.attn_drop if self.training else 0.0)  # BUG-SITE
        x = x.transpose(1, 2).reshape(B, N, C)
        return self.proj_drop(self.proj(x))


class Block(nn.Module):
    def __init__(self, dim, num_heads, mlp_ratio=2.0, drop=0.1):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads, attn_drop=drop, proj_drop=drop)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(drop), nn.Linear(hidden, dim), nn.Dropout(drop))

    def forward(self, x, attn_mask=None):
        x = x + self.attn(self.norm1(x), attn_mask=attn_mask)
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    def __init__(self, patch_size=4, max_grid=4, in_chans=3, num_classes=5, embed_dim=32, depth=2, num_heads=4, drop_rate=0.1):
        super().__init__()
        self.patch_size = patch_size
        self.max_grid = max_grid
        self.patch_embed = nn.Conv2d(in_chans, embed_dim, patch_size, patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.randn(1, max_grid * max_grid + 1, embed_dim) * 0.02)
        self.pos_drop = nn.Dropout(drop_rate)
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, drop=drop_rate) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head = nn.Linear(embed_dim, num_classes)

    def forward_features(self, images, patch_valid):
        x = self.patch_embed(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], dim=1)
        x = self.pos_drop(x + self.pos_embed)
        token_valid = torch.cat([torch.ones(x.size(0), 1), patch_valid.flatten(1).float()], dim=1)
        attn_mask = token_valid[:, None, None, :]
        for blk in self.blocks:
            x = blk(x, attn_mask=attn_mask)
        return self.norm(x)

    def forward(self, images, patch_valid):
        return self.head(self.forward_features(images, patch_valid)[:, 0])


def pack(sizes, canvas=16, patch=4):
    imgs = torch.zeros(len(sizes), 3, canvas, canvas)
    valid = torch.zeros(len(sizes), canvas // patch, canvas // patch, dtype=torch.bool)
    for i, (h, w) in enumerate(sizes):
        imgs[i, :, :h, :w] = torch.randn(3, h, w)
        valid[i, : h // patch, : w // patch] = True
    return imgs, valid


def run():
    torch.manual_seed(0)
    model = VisionTransformer()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    imgs, valid = pack([(16, 16), (8, 12), (12, 4)])
    labels = torch.tensor([0, 3, 4])
    model.train()
    loss = F.cross_entropy(model(imgs, valid), labels, label_smoothing=0.1)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        imgs2, valid2 = pack([(4, 8), (16, 12)])
        logits = model(imgs2, valid2)
    return [loss.detach(), *grads, logits]
