"""Causal attention with a block-mask buffer (MHA convention) that is inverted for SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, dim=32, heads=4, max_positions=256):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)
        # stored in the nn.MultiheadAttention convention (True = future, blocked) for the legacy path
        self.register_buffer(
            "future", torch.triu(torch.ones(max_positions, max_positions, dtype=torch.bool), 1), persistent=False
        )
        self.legacy = nn.MultiheadAttention(dim, heads, batch_first=True, bias=False)

    def forward(self, x, use_legacy=False):
        B, T, C = x.shape
        if use_legacy:
            return self.legacy(x, x, x, attn_mask=self.future[:T, :T], need_weights=False)[0]
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        allowed = ~self.future[:T, :T]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CausalSelfAttention()
    x = torch.randn(2, 5, 32)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 32)
    for legacy in (False, True):
        assert torch.allclose(m(x, legacy)[:, :-1], m(x2, legacy)[:, :-1], atol=1e-5)
    print("causal ok")
