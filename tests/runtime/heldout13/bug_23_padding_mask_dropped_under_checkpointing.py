# EXPECT: bug
"""Encoder with gradient checkpointing.  The checkpointed training path calls
checkpoint(block, x) and silently drops the padding mask, so during training
SDPA attends padding; the eval path passes the mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint


class Block(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h, self.p = h, p
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Dropout(p), nn.Linear(4 * d, d))

    def forward(self, x, keep=None):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        attn_mask = None if keep is None else keep[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask,  # BUG-SITE
                                           dropout_p=self.p if self.training else 0.0)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.norm2(x))


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=16, d=32, h=4, depth=3, p=0.1, n_cls=4, grad_ckpt=True):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.blocks = nn.ModuleList(Block(d, h, p) for _ in range(depth))
        self.head = nn.Linear(d, n_cls)
        self.gradient_checkpointing = grad_ckpt

    def forward(self, feats, frame_mask):
        x = self.inp(feats)
        for blk in self.blocks:
            if self.gradient_checkpointing and self.training:
                x = checkpoint(blk, x, use_reentrant=False)
            else:
                x = blk(x, frame_mask)
        m = frame_mask[..., None].float()
        return self.head((x * m).sum(1) / m.sum(1))


def run():
    torch.manual_seed(23)
    n_frames = torch.tensor([20, 11, 16, 20])
    feats = torch.randn(4, 20, 16)
    frame_mask = torch.arange(20)[None, :] < n_frames[:, None]
    feats = feats * frame_mask[..., None]
    y = torch.tensor([0, 3, 1, 2])
    model = AudioEncoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    loss = F.cross_entropy(model(feats, frame_mask), y)
    opt.zero_grad()
    loss.backward()
    g = model.inp.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(feats, frame_mask)
    return [loss.detach(), g, ev]
