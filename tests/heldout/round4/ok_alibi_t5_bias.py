"""Additive position biases combined with a causal -inf mask (ALiBi decoder + T5 encoder)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_slopes(n):
    base = 2 ** (-8 / n)
    return torch.tensor([base ** (i + 1) for i in range(n)])


class ALiBiCausalAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("slopes", get_slopes(heads).view(1, heads, 1, 1), persistent=False)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).reshape(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        i = torch.arange(n, device=x.device)
        distance = (i[None, :] - i[:, None]).float()                    # j - i
        causal = torch.triu(torch.full((n, n), float("-inf"), device=x.device), diagonal=1)
        bias = self.slopes * distance + causal                          # (1, h, n, n)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.proj(out.transpose(1, 2).reshape(b, n, d))


class T5EncoderAttention(nn.Module):
    """Bidirectional: relative bias + padding mask, no causal mask."""

    def __init__(self, dim, heads, buckets=32):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.bias = nn.Embedding(2 * buckets + 1, heads)
        self.buckets = buckets

    def forward(self, x, attention_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        rel = torch.arange(n, device=x.device)
        rel = (rel[None, :] - rel[:, None]).clamp(-self.buckets, self.buckets) + self.buckets
        pos_bias = self.bias(rel).permute(2, 0, 1).unsqueeze(0)          # (1, h, n, n)
        ext = attention_mask[:, None, None, :].to(q.dtype)               # 1 = token
        pad_bias = (1.0 - ext) * torch.finfo(q.dtype).min
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=pos_bias + pad_bias, scale=1.0)
        return self.o(out.transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    x = torch.randn(2, 6, 64)
    am = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]])
    print(ALiBiCausalAttention(64, 4)(x).shape, T5EncoderAttention(64, 4)(x, am).shape)
