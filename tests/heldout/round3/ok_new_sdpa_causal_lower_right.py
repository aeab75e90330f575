"""Chunked prefill for long prompts: the prompt is fed in chunks, each chunk
attending to the KV cache plus itself. The chunk's queries are the last L of
the S keys, so the causal diagonal is aligned bottom-right."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class ChunkedPrefillAttention(nn.Module):
    def __init__(self, dim=2048, n_heads=16, max_len=32768):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = dim // n_heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim, bias=False)
        self.max_len = max_len
        self.k_cache = None
        self.v_cache = None

    def reset(self, batch, device, dtype):
        shape = (batch, self.n_heads, 0, self.head_dim)
        self.k_cache = torch.empty(shape, device=device, dtype=dtype)
        self.v_cache = torch.empty(shape, device=device, dtype=dtype)

    def forward(self, chunk):
        B, L, D = chunk.shape
        q, k, v = self.qkv(chunk).view(B, L, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        self.k_cache = torch.cat([self.k_cache, k], dim=2)
        self.v_cache = torch.cat([self.v_cache, v], dim=2)
        S = self.k_cache.size(2)
        if S == L:
            # first chunk: square causal, upper-left and lower-right coincide
            y = F.scaled_dot_product_attention(q, self.k_cache, self.v_cache, is_causal=True)
        else:
            y = F.scaled_dot_product_attention(
                q, self.k_cache, self.v_cache, attn_mask=causal_lower_right(L, S)
            )
        return self.proj(y.transpose(1, 2).reshape(B, L, D))


@torch.no_grad()
def prefill(layers, embed, prompt_ids, chunk_size=2048):
    for layer in layers:
        layer.attn.reset(prompt_ids.size(0), prompt_ids.device, embed.weight.dtype)
    hidden = None
    for start in range(0, prompt_ids.size(1), chunk_size):
        x = embed(prompt_ids[:, start: start + chunk_size])
        for layer in layers:
            x = x + layer.attn(layer.norm(x))
            x = x + layer.mlp(x)
        hidden = x
    return hidden[:, -1]
