"""Additive mask built in the query's dtype inside an autocast region, then passed to SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BiasedAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.rel = nn.Parameter(torch.zeros(heads, 1, 1))

    def forward(self, x, attention_mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = attention_mask.bool()[:, None, None, :] & torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        bias = torch.zeros(B, 1, T, T, dtype=q.dtype, device=x.device).masked_fill(~keep, float("-inf"))
        bias = bias + self.rel.to(q.dtype)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return y.transpose(1, 2).reshape(B, T, C)


def forward_amp(model, x, attention_mask, device_type="cpu"):
    with torch.autocast(device_type=device_type, dtype=torch.bfloat16):
        return model(x, attention_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = BiasedAttention()
    x = torch.randn(2, 4, 32)
    am = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
    ref = m(x, am)
    out = forward_amp(m, x, am)
    assert out.dtype == torch.bfloat16 and torch.allclose(out.float(), ref, atol=5e-2)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 32)
    assert torch.allclose(m(x, am)[:, :-1], m(x2, am)[:, :-1], atol=1e-5)
    print("amp ok")
