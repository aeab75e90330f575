"""Sliding-window causal attention for a long-context LM, with FlexAttention
on GPU and a dense SDPA fallback that materialises the same mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention

WINDOW = 1024


def sliding_window_causal(b, h, q_idx, kv_idx):
    causal = q_idx >= kv_idx
    in_window = q_idx - kv_idx < WINDOW
    return causal & in_window


class WindowedAttention(nn.Module):
    def __init__(self, dim, n_heads, use_flex=True):
        super().__init__()
        self.n_heads = n_heads
        self.use_flex = use_flex
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wkv = nn.Linear(dim, 2 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self._block_masks = {}

    def _block_mask(self, seq_len, device):
        key = (seq_len, str(device))
        if key not in self._block_masks:
            self._block_masks[key] = create_block_mask(
                sliding_window_causal, B=None, H=None, Q_LEN=seq_len, KV_LEN=seq_len, device=device
            )
        return self._block_masks[key]

    def forward(self, x):
        B, T, D = x.shape
        q = self.wq(x).view(B, T, self.n_heads, -1).transpose(1, 2)
        k, v = self.wkv(x).view(B, T, 2, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        if self.use_flex:
            y = flex_attention(q, k, v, block_mask=self._block_mask(T, x.device))
        else:
            # create_mask returns a (1, 1, T, T) bool tensor, True = attend (SDPA convention)
            dense = create_mask(sliding_window_causal, 1, 1, T, T, device=x.device)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=dense)
        return self.wo(y.transpose(1, 2).reshape(B, T, D))


class WindowedLM(nn.Module):
    def __init__(self, vocab=50257, dim=1024, n_heads=16, depth=16, use_flex=True):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(WindowedAttention(dim, n_heads, use_flex) for _ in range(depth))
        self.mlps = nn.ModuleList(
            nn.Sequential(nn.RMSNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
            for _ in range(depth)
        )
        self.norms = nn.ModuleList(nn.RMSNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids):
        x = self.emb(ids)
        for attn, norm, mlp in zip(self.layers, self.norms, self.mlps):
            x = x + attn(norm(x))
            x = x + mlp(x)
        return self.head(x)
