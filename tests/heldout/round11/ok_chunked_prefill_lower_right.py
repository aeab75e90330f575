"""Chunked prefill for long prompts: each chunk of queries attends to the cache plus itself."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class ChunkedAttention(nn.Module):
    def __init__(self, dim=128, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, past_k=None, past_v=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if past_k is not None:
            k, v = torch.cat([past_k, k], 2), torch.cat([past_v, v], 2)
        bias = causal_lower_right(t, k.size(2))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(out.transpose(1, 2).reshape(b, t, d)), k, v


def prefill(layer, prompt_hidden, chunk=16):
    outs, k, v = [], None, None
    for start in range(0, prompt_hidden.size(1), chunk):
        y, k, v = layer(prompt_hidden[:, start:start + chunk], k, v)
        outs.append(y)
    return torch.cat(outs, 1)


if __name__ == "__main__":
    layer = ChunkedAttention().eval()
    h = torch.randn(1, 50, 128)
    with torch.no_grad():
        chunked = prefill(layer, h)
        q, k, v = layer.qkv(h).view(1, 50, 3, 4, -1).permute(2, 0, 3, 1, 4)
        ref = layer.o(F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(1, 50, 128))
    print(torch.allclose(chunked, ref, atol=1e-5))
