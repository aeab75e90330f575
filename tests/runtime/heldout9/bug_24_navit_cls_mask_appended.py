# EXPECT: bug the CLS token is prepended to the patch sequence but its keep flag is appended to the patch mask, so the key mask is shifted by one: each image's last real patch is masked and a padded patch slot is attended.
"""Imitates timm VisionTransformer / NaViT-style "patch n' pack" handling of
variable-resolution images: patches are padded to the longest image in the batch,
a learnable cls_token is prepended, and a boolean key mask is passed to
F.scaled_dot_product_attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PATCH = 4


class Attention(nn.Module):
    def __init__(self, dim, num_heads, attn_drop):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.attn_drop = attn_drop

    def forward(self, x, attn_mask):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=attn_mask, dropout_p=self.attn_drop if self.training else 0.0
        )
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, dim, heads, drop):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads, drop)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Dropout(drop), nn.Linear(2 * dim, dim))

    def forward(self, x, attn_mask):
        x = x + self.attn(self.norm1(x), attn_mask)
        return x + self.mlp(self.norm2(x))


def patchify(img):
    C, H, W = img.shape
    p = img.unfold(1, PATCH, PATCH).unfold(2, PATCH, PATCH)  # C, h, w, P, P
    h, w = p.shape[1], p.shape[2]
    patches = p.permute(1, 2, 0, 3, 4).reshape(h * w, C * PATCH * PATCH)
    ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    return patches, ys.flatten(), xs.flatten()


def collate_images(images):
    items = [patchify(im) for im in images]
    n = max(it[0].size(0) for it in items)
    B, D = len(items), items[0][0].size(1)
    patches = torch.zeros(B, n, D)
    ys = torch.zeros(B, n, dtype=torch.long)
    xs = torch.zeros(B, n, dtype=torch.long)
    keep = torch.zeros(B, n, dtype=torch.bool)
    for i, (p, y, x) in enumerate(items):
        patches[i, : len(p)], ys[i, : len(p)], xs[i, : len(p)], keep[i, : len(p)] = p, y, x, True
    return patches, ys, xs, keep


class NaViT(nn.Module):
    def __init__(self, dim=32, depth=2, heads=4, num_classes=5, drop=0.1, max_side=4):
        super().__init__()
        self.patch_embed = nn.Linear(3 * PATCH * PATCH, dim)
        self.pos_y = nn.Embedding(max_side, dim)
        self.pos_x = nn.Embedding(max_side, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.blocks = nn.ModuleList([Block(dim, heads, drop) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, patches, ys, xs, patch_keep):
        B = patches.size(0)
        x = self.patch_embed(patches) + self.pos_y(ys) + self.pos_x(xs)
        x = torch.cat([self.cls_token.expand(B, -1, -1), x], dim=1)
        cls_keep = torch.ones(B, 1, dtype=torch.bool)
        key_keep = torch.cat([patch_keep, cls_keep], dim=1)
        attn_mask = key_keep[:, None, None, :]
        for blk in self.blocks:
            x = blk(x, attn_mask)
        return self.head(self.norm(x)[:, 0])


def run():
    torch.manual_seed(0)
    model = NaViT()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    g = torch.Generator().manual_seed(67)
    sizes = [(8, 8), (12, 8), (16, 12), (8, 16)]
    batch = collate_images([torch.randn(3, h, w, generator=g) for h, w in sizes])
    labels = torch.tensor([4, 0, 2, 1])

    model.train()
    loss = F.cross_entropy(model(*batch), labels, label_smoothing=0.1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ev = collate_images([torch.randn(3, h, w, generator=g) for h, w in [(12, 12), (4, 8), (16, 16)]])
        probs = model(*ev).softmax(-1)
    return [loss.detach(), *grads, probs]
