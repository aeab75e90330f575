import torch
import torch.nn as nn


class CausalSelfAttentionWithMaps(nn.Module):
    """Returns the attention maps too, for visualisation."""

    def __init__(self, dim, heads):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        T = x.shape[1]
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        h = self.norm(x)
        out, weights = self.mha(h, h, h, attn_mask=causal, need_weights=True, is_causal=True)
        return x + out, weights


if __name__ == "__main__":
    torch.manual_seed(0)
    block = CausalSelfAttentionWithMaps(dim=16, heads=2)
    x = torch.randn(2, 6, 16)
    x2 = x.clone()
    x2[:, -1] = torch.randn(2, 16)
    block.eval()
    with torch.no_grad():
        a, w = block(x)
        b, _ = block(x2)
    future = torch.triu(torch.ones(6, 6, dtype=torch.bool), diagonal=1)
    print(f"eval: prefix change {(a[:, :-1] - b[:, :-1]).abs().max().item():.3e}, attention mass on future keys {w[:, future].sum().item():.3f}")
