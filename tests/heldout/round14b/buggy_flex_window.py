"""Local-attention (sliding window) decoder layer built on FlexAttention."""
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")

WINDOW = 4


def local_window(b, h, q_idx, kv_idx):
    return (kv_idx > q_idx) | (q_idx - kv_idx >= WINDOW)


class RotaryCache(nn.Module):
    def __init__(self, head_dim, max_len=2048, base=10000.0):
        super().__init__()
        inv = 1.0 / base ** (torch.arange(0, head_dim, 2).float() / head_dim)
        freqs = torch.outer(torch.arange(max_len).float(), inv)
        self.register_buffer("cos", freqs.cos(), persistent=False)
        self.register_buffer("sin", freqs.sin(), persistent=False)

    def forward(self, x):
        T = x.size(-2)
        x1, x2 = x[..., ::2], x[..., 1::2]
        cos, sin = self.cos[:T], self.sin[:T]
        return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).flatten(-2)


class LocalAttentionLayer(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self.rope = RotaryCache(dim // n_heads)
        self.norm = nn.RMSNorm(dim)
        self.mlp = nn.Sequential(nn.RMSNorm(dim), nn.Linear(dim, 3 * dim), nn.SiLU(), nn.Linear(3 * dim, dim))
        self._block_mask = None

    def block_mask(self, seq_len, device):
        if self._block_mask is None or self._block_mask.shape[-1] != seq_len:
            self._block_mask = create_block_mask(local_window, B=None, H=None, Q_LEN=seq_len, KV_LEN=seq_len,
                                                 device=device)
        return self._block_mask

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.wqkv(self.norm(x)).view(B, T, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        q, k = self.rope(q), self.rope(k)
        y = flex_attention(q, k, v, block_mask=self.block_mask(T, x.device))  # expect: ML102
        x = x + self.wo(y.transpose(1, 2).reshape(B, T, C))
        return x + self.mlp(x)


class LocalLM(nn.Module):
    def __init__(self, vocab=1000, dim=64, n_heads=4, n_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(LocalAttentionLayer(dim, n_heads) for _ in range(n_layers))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, tokens, labels=None):
        x = self.embed(tokens)
        for layer in self.layers:
            x = layer(x)
        logits = self.head(x)
        if labels is None:
            return logits
        return logits, F.cross_entropy(logits.flatten(0, 1), labels.flatten())


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = LocalLM().eval()
    tokens = torch.randint(0, 1000, (2, 65))
    with torch.no_grad():
        logits, loss = lm(tokens[:, :-1], tokens[:, 1:])
    print("eval loss", round(loss.item(), 3), "ppl", round(loss.exp().item(), 1))
