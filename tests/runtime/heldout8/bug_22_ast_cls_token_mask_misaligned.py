# EXPECT: bug CLS token is prepended to the patch sequence but its "not padding" entry is appended to the end of key_padding_mask, so the mask is shifted by one: the last real patch is masked and the last padding patch is attended (nn.MultiheadAttention)
"""AST-style (Audio Spectrogram Transformer) classifier for clips of
different durations: spectrogram patches along time, a prepended [CLS]
token, timm-style pre-norm blocks built on nn.MultiheadAttention.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchEmbed(nn.Module):
    def __init__(self, n_mels=16, patch_t=4, embed_dim=32):
        super().__init__()
        self.proj = nn.Conv2d(1, embed_dim, kernel_size=(n_mels, patch_t), stride=(n_mels, patch_t))
        self.patch_t = patch_t

    def forward(self, spec):  # (B, n_mels, T)
        return self.proj(spec.unsqueeze(1)).flatten(2).transpose(1, 2)  # (B, T // patch_t, D)


class Block(nn.Module):
    def __init__(self, dim, num_heads, mlp_ratio=2.0, drop=0.1):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = nn.MultiheadAttention(dim, num_heads, dropout=drop, batch_first=True)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * mlp_ratio)), nn.GELU(), nn.Dropout(drop),
                                 nn.Linear(int(dim * mlp_ratio), dim), nn.Dropout(drop))

    def forward(self, x, key_padding_mask):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, key_padding_mask=key_padding_mask, need_weights=False)[0]  # BUG-SITE
        return x + self.mlp(self.norm2(x))


class AST(nn.Module):
    def __init__(self, n_mels=16, patch_t=4, embed_dim=32, depth=2, num_heads=4, num_classes=7, max_patches=16, drop=0.1):
        super().__init__()
        self.patch_embed = PatchEmbed(n_mels, patch_t, embed_dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.randn(1, max_patches + 1, embed_dim) * 0.02)
        self.pos_drop = nn.Dropout(drop)
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, drop=drop) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head = nn.Linear(embed_dim, num_classes)
        nn.init.normal_(self.cls_token, std=0.02)
        self.patch_t = patch_t

    def forward(self, spec, frames):
        B = spec.size(0)
        x = self.patch_embed(spec)
        n_patches = frames // self.patch_t
        patch_pad = torch.arange(x.size(1))[None, :] >= n_patches[:, None]  # (B, N), True = pad
        x = torch.cat([self.cls_token.expand(B, -1, -1), x], dim=1)
        key_padding_mask = torch.cat([patch_pad, torch.zeros(B, 1, dtype=torch.bool)], dim=1)
        x = self.pos_drop(x + self.pos_embed[:, : x.size(1)])
        for blk in self.blocks:
            x = blk(x, key_padding_mask)
        return self.head(self.norm(x)[:, 0])


def make_batch(frames, n_mels=16):
    T = max(frames)
    spec = torch.zeros(len(frames), n_mels, T)
    for i, n in enumerate(frames):
        spec[i, :, :n] = torch.randn(n_mels, n)
    return spec, torch.tensor(frames)


def run():
    torch.manual_seed(0)
    model = AST()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    spec, frames = make_batch([40, 24, 32, 16])
    labels = torch.tensor([6, 2, 0, 4])

    model.train()
    logits = model(spec, frames)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(spec, frames)
    return [loss.detach(), *grads, eval_logits]
