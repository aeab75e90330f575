"""Speculative-decoding verifier: the target model scores a chunk of draft
tokens against its KV cache in a single forward pass."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class KVCache:
    def __init__(self, batch, n_heads, max_len, head_dim, device, dtype=torch.float16):
        self.k = torch.zeros(batch, n_heads, max_len, head_dim, device=device, dtype=dtype)
        self.v = torch.zeros_like(self.k)
        self.len = 0

    def append(self, k, v):
        n = k.size(2)
        self.k[:, :, self.len: self.len + n] = k
        self.v[:, :, self.len: self.len + n] = v
        self.len += n
        return self.k[:, :, : self.len], self.v[:, :, : self.len]

    def rollback(self, n_rejected):
        self.len -= n_rejected


class VerifierAttention(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, cache: KVCache):
        # x: (B, L, D), the last accepted token followed by the draft tokens
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        k_all, v_all = cache.append(k, v)
        S = k_all.size(2)
        # the chunk's queries sit at the end of the key sequence
        bias = causal_lower_right(L, S)
        y = F.scaled_dot_product_attention(  # expect: ML403
            q, k_all, v_all,
            attn_mask=bias,
            is_causal=True,
        )
        return self.o(y.transpose(1, 2).reshape(B, L, D))


@torch.no_grad()
def verify(target_layers, embed, head, draft_tokens, caches):
    x = embed(draft_tokens)
    for layer, cache in zip(target_layers, caches):
        x = x + layer(x, cache)
    probs = F.softmax(head(x).float(), dim=-1)
    return probs
