# EXPECT: bug NaViT-style patch padding mask with True = padding passed straight to SDPA attn_mask, where True = attend; every image attends only to padding patches
"""NaViT-style ViT on images of different sizes: each image is patchified,
the patch sequences are padded to the longest one and a boolean padding mask
is carried along (timm-like Attention with F.scaled_dot_product_attention).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, num_heads=4, qkv_bias=True, attn_drop=0.0, proj_drop=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = attn_drop
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x, padding_mask=None):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attn_mask = None
        if padding_mask is not None:
            attn_mask = padding_mask[:, None, None, :]  # (B, 1, 1, N)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.attn_drop if self.training else 0.0)  # BUG-SITE
        x = x.transpose(1, 2).reshape(B, N, C)
        return self.proj_drop(self.proj(x))


class Mlp(nn.Module):
    def __init__(self, dim, hidden, drop):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        return self.drop(self.fc2(self.drop(self.act(self.fc1(x)))))


class Block(nn.Module):
    def __init__(self, dim, num_heads, drop):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, num_heads, attn_drop=drop, proj_drop=drop)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, 2 * dim, drop)

    def forward(self, x, padding_mask):
        x = x + self.attn(self.norm1(x), padding_mask)
        return x + self.mlp(self.norm2(x))


class NaViT(nn.Module):
    def __init__(self, patch=4, channels=3, dim=32, depth=2, heads=4, num_classes=10, max_side=8, drop=0.1):
        super().__init__()
        self.patch = patch
        self.to_patch = nn.Linear(channels * patch * patch, dim)
        self.pos_h = nn.Embedding(max_side, dim)
        self.pos_w = nn.Embedding(max_side, dim)
        self.blocks = nn.ModuleList([Block(dim, heads, drop) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def patchify(self, img):
        c, h, w = img.shape
        p = self.patch
        x = img.reshape(c, h // p, p, w // p, p).permute(1, 3, 0, 2, 4).reshape((h // p) * (w // p), c * p * p)
        hh, ww = torch.meshgrid(torch.arange(h // p), torch.arange(w // p), indexing="ij")
        return x, hh.flatten(), ww.flatten()

    def forward(self, images):
        seqs = [self.patchify(im) for im in images]
        n_max = max(s[0].size(0) for s in seqs)
        tokens, padding = [], []
        for x, hh, ww in seqs:
            t = self.to_patch(x) + self.pos_h(hh) + self.pos_w(ww)
            pad = n_max - t.size(0)
            tokens.append(F.pad(t, (0, 0, 0, pad)))
            padding.append(torch.arange(n_max) >= t.size(0))
        x = torch.stack(tokens)
        padding_mask = torch.stack(padding)  # True = padding patch
        for blk in self.blocks:
            x = blk(x, padding_mask)
        x = self.norm(x)
        keep = (~padding_mask).unsqueeze(-1).float()
        return self.head((x * keep).sum(1) / keep.sum(1))


def run():
    torch.manual_seed(0)
    model = NaViT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    images = [torch.randn(3, 16, 16), torch.randn(3, 8, 12), torch.randn(3, 12, 8), torch.randn(3, 16, 8)]
    labels = torch.tensor([3, 1, 7, 0])

    model.train()
    logits = model(images)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(images)
    return [loss.detach(), *grads, eval_logits]
