"""Annual-layer detection in ice-core chemistry profiles (mixed-precision training)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CHANNELS = ("na", "dust", "ecm", "d18o")


class ProfileAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, pad):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.h, d // self.h).unbind(2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / (d // self.h) ** 0.5
        scores = scores.masked_fill(pad[:, None, None, :], torch.finfo(scores.dtype).min)
        y = scores.softmax(-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, n, d))


class LayerCounter(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Conv1d(len(CHANNELS), dim, kernel_size=5, padding=2)
        self.attn = nn.ModuleList(ProfileAttention(dim, heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.boundary = nn.Linear(dim, 1)

    def forward(self, profile, pad):
        x = self.inp(profile.transpose(1, 2)).transpose(1, 2)
        for attn, norm in zip(self.attn, self.norm):
            x = x + attn(norm(x), pad)
        return self.boundary(x).squeeze(-1)


def train_step(model, opt, profile, pad, boundaries):
    opt.zero_grad(set_to_none=True)
    with torch.autocast(device_type=profile.device.type, dtype=torch.float16):
        logits = model(profile, pad)
    loss = F.binary_cross_entropy_with_logits(logits.float()[~pad], boundaries[~pad])
    loss.backward()
    opt.step()
    return loss.detach()
