"""Hand-written attention for a ViT-style image-text matcher, trained under bfloat16 autocast.

-1e9 is representable in bfloat16 (max ~3.4e38), so masked_fill with it is safe here.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads=8):
        super().__init__()
        self.heads = heads
        self.scale = 1.0 / math.sqrt(dim // heads)
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, key_valid=None):
        B, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1)) * self.scale
        if key_valid is not None:
            attn = attn.masked_fill(~key_valid[:, None, None, :], -1e9)
        attn = attn.softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(B, N, C))


class Matcher(nn.Module):
    def __init__(self, dim=256, depth=4, vocab=30522, patch=16, img=224):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, patch)
        self.txt_embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, (img // patch) ** 2 + 64, dim))
        self.attn = nn.ModuleList(Attention(dim) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.itm_head = nn.Linear(dim, 2)

    def forward(self, images, text_ids):
        p = self.patch_embed(images).flatten(2).transpose(1, 2)
        t = self.txt_embed(text_ids)
        x = torch.cat([t, p], 1)
        x = x + self.pos[:, : x.size(1)]
        valid = torch.cat([text_ids != 0, torch.ones(p.shape[:2], dtype=torch.bool, device=p.device)], 1)
        for attn, norm in zip(self.attn, self.norm):
            x = x + attn(norm(x), valid)
        return self.itm_head(x[:, 0])


def train_step(model, images, text_ids, labels, opt):
    with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
        logits = model(images, text_ids)
        loss = F.cross_entropy(logits.float(), labels)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()
