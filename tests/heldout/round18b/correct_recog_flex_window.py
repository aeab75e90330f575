"""Streaming keyword spotting: local causal attention over audio frames (FlexAttention)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

LOOKBACK = 6


def too_far(q_idx, kv_idx):
    return q_idx - kv_idx >= LOOKBACK


def local_causal(b, h, q_idx, kv_idx):
    return (q_idx >= kv_idx) & ~too_far(q_idx, kv_idx)


class KWSNet(nn.Module):
    def __init__(self, n_mels=40, d=32, heads=4, n_keywords=10):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(n_mels, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.kw = nn.Linear(d, n_keywords)

    def forward(self, mel):
        B, T, _ = mel.shape
        x = self.inp(mel)
        bm = create_block_mask(local_causal, None, None, T, T, device=mel.device)
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        x = x + self.o(flex_attention(q, k, v, block_mask=bm).transpose(1, 2).reshape(B, T, -1))
        return self.kw(x)


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    net = KWSNet()
    mel = torch.randn(2, 20, 40)
    with torch.no_grad():
        a = net(mel)
        mel2 = mel.clone()
        mel2[:, :5] += 4.0
        mel2[:, 15:] -= 4.0
        b = net(mel2)
    print("window-local", torch.allclose(a[:, 11:15], b[:, 11:15], atol=1e-5), "changed", not torch.allclose(a[:, 5:11], b[:, 5:11]))
