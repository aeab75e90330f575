"""Chunked prefill for a chat model's KV cache: each new chunk of L queries attends to the
S = past + L cached keys, causally aligned to the bottom-right."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class CachedAttention(nn.Module):
    def __init__(self, dim=128, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.k_cache = self.v_cache = None

    def reset(self):
        self.k_cache = self.v_cache = None

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if self.k_cache is not None:
            k = torch.cat([self.k_cache, k], dim=2)
            v = torch.cat([self.v_cache, v], dim=2)
        self.k_cache, self.v_cache = k, v
        S = k.size(2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(L, S))
        return self.o(y.transpose(1, 2).reshape(B, L, D))


@torch.no_grad()
def prefill(attn, x, chunk):
    attn.reset()
    return torch.cat([attn(x[:, i:i + chunk]) for i in range(0, x.size(1), chunk)], dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = CachedAttention().eval()
    x = torch.randn(2, 96, 128)
    full = prefill(attn, x, chunk=96)
    chunked = prefill(attn, x, chunk=32)
    print("chunked == full prefill:", torch.allclose(full, chunked, atol=1e-5))
