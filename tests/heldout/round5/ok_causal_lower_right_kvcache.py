"""Chunked prefill with a KV cache: queries are the last L positions of an S-long context, so
the causal mask must be aligned to the lower right corner."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class ChunkedAttention(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, cache=None):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        S = k.size(2)
        bias = causal_lower_right(L, S)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(y.transpose(1, 2).reshape(B, L, D)), (k, v)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = ChunkedAttention()
    x = torch.randn(1, 12, 64)
    with torch.no_grad():
        full, _ = m(x)
        _, cache = m(x[:, :8])
        tail, _ = m(x[:, 8:], cache)
    print("chunked == full:", torch.allclose(full[:, 8:], tail, atol=1e-5))
