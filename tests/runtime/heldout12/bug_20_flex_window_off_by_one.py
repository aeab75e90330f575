# EXPECT: bug
"""Frozen local-attention (sliding window) sensor encoder + trainable probe, FlexAttention on CPU."""
import warnings
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")

CONFIG = {"window": 3}  # each reading sees itself and the 2 readings before it


def local_causal(window):
    def mask_mod(b, h, q_idx, kv_idx):
        return (q_idx >= kv_idx) & (q_idx - kv_idx <= window)
    return mask_mod


class FrozenLocalEncoder(nn.Module):
    def __init__(self, n_ch=6, d=32, heads=4, window=CONFIG["window"]):
        super().__init__()
        self.heads, self.window = heads, window
        self.inp = nn.Linear(n_ch, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.requires_grad_(False)

    def forward(self, x):
        B, T, _ = x.shape
        h = self.inp(x)
        q, k, v = self.qkv(h).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        bm = create_block_mask(local_causal(self.window), None, None, T, T, device="cpu")
        y = flex_attention(q, k, v, block_mask=bm)  # BUG-SITE
        return h + self.o(y.transpose(1, 2).reshape(B, T, -1))


class FallDetector(nn.Module):
    def __init__(self, d=32, p=0.2):
        super().__init__()
        self.enc = FrozenLocalEncoder(d=d)
        self.drop = nn.Dropout(p)
        self.head = nn.Linear(d, 1)

    def forward(self, x):
        return self.head(self.drop(self.enc(x))).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = FallDetector()
    opt = torch.optim.Adam(model.head.parameters(), lr=1e-2)
    imu = torch.randn(2, 10, 6)
    fall = (torch.rand(2, 10) > 0.8).float()

    model.train()
    loss = F.binary_cross_entropy_with_logits(model(imu), fall)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logit = model(imu)
    return [loss.detach(), logit]
