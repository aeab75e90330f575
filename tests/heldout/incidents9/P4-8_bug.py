import torch
import torch.nn.functional as F
from torch import nn


class KVCache:
    def __init__(self, k, v):
        self.k, self.v = k, v


class Attention(nn.Module):
    """Decoder self-attention with an optional KV cache (prefill + step decoding)."""

    def __init__(self, embed_dim=32, num_heads=4, dropout=0.0):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.k_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.v_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.o_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.dropout = dropout

    def forward(self, Xq, attn_mask=None, cache=None, is_causal=False):
        b, t, e = Xq.shape
        split = lambda x: x.view(b, -1, self.num_heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q_proj(Xq)), split(self.k_proj(Xq)), split(self.v_proj(Xq))
        if cache is not None:
            k, v = torch.cat([cache.k, k], dim=2), torch.cat([cache.v, v], dim=2)
        attn_output = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,  # BUG
            dropout_p=self.dropout if self.training else 0.0,
            scale=1.0 / self.head_dim ** 0.5,
            is_causal=is_causal,  # BUG
        )
        return self.o_proj(attn_output.transpose(1, 2).reshape(b, t, e)), KVCache(k, v)


def prefill_mask(tgt_padding):
    """(B, 1, T, T) bool mask, True = may attend: causal and not padding."""
    T = tgt_padding.size(1)
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    return causal[None, None] & ~tgt_padding[:, None, None, :]


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Attention().eval()
    prompt = torch.randn(2, 5, 32)
    tgt_padding = torch.zeros(2, 5, dtype=torch.bool)
    with torch.no_grad():
        out, cache = attn(prompt, attn_mask=prefill_mask(tgt_padding), is_causal=True)
    print(out.shape, cache.k.shape)
