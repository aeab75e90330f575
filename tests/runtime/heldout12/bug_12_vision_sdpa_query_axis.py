# EXPECT: bug
"""Variable-resolution ViT (NaViT-like packing): images contribute different numbers of patches."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchAttention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads, self.p = heads, p
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, patch_valid):
        B, P, D = x.shape
        q, k, v = self.qkv(x).reshape(B, P, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        keep = patch_valid[:, None, :, None]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=self.p if self.training else 0.0)  # BUG-SITE
        return self.proj(y.transpose(1, 2).reshape(B, P, D))


class TinyViT(nn.Module):
    def __init__(self, patch_dim=12, d=32, heads=4, n_cls=4, p=0.1):
        super().__init__()
        self.patch = nn.Linear(patch_dim, d)
        self.attn = PatchAttention(d, heads, p)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Dropout(p), nn.Linear(64, d))
        self.head = nn.Linear(d, n_cls)

    def forward(self, patches, patch_valid):
        x = self.patch(patches)
        x = x + self.attn(self.n1(x), patch_valid)
        x = x + self.mlp(self.n2(x))
        w = patch_valid.unsqueeze(-1).float()
        return self.head((x * w).sum(1) / w.sum(1))


def run():
    torch.manual_seed(0)
    patches = torch.randn(3, 9, 12)
    patch_valid = torch.ones(3, 9, dtype=torch.bool)
    patch_valid[2, 6:] = False  # a 2x3 image padded to 3x3 patches
    patches[2, 6:] = 0.0
    labels = torch.tensor([3, 0, 1])
    model = TinyViT()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)

    model.train()
    loss = F.cross_entropy(model(patches, patch_valid), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(patches, patch_valid)
    return [loss.detach(), logits]
