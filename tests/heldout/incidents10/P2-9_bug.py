"""TITAN-style slide encoder attention with an ALiBi-like positional bias.

Under bf16 autocast/half weights the query is bf16 while the bias stays
float32.  On the CUDA fused kernels torch raises "attn_mask dtype must be bool
or match query dtype"; the CPU kernels in torch 2.13 accept it silently, so
the smoke run only reports the dtype pair (kernel-dependent row)."""
import torch
import torch.nn.functional as F
from torch import nn


def get_alibi_bias(n_heads, coords):
    slopes = torch.tensor([2 ** (-8 * (i + 1) / n_heads) for i in range(n_heads)])
    dist = torch.cdist(coords, coords)  # [B, N, N], float32
    return -slopes[None, :, None, None] * dist[:, None]


class Attention(nn.Module):
    def __init__(self, dim=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, attn_bias):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        self.last_dtypes = (q.dtype, attn_bias.dtype)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)  # BUG
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Attention().to(torch.bfloat16)
    x = torch.randn(2, 6, 32, dtype=torch.bfloat16)
    coords = torch.rand(2, 6, 2) * 10
    with torch.no_grad():
        out = attn(x, get_alibi_bias(4, coords))
    q_dt, m_dt = attn.last_dtypes
    print("query dtype:", q_dt, "| attn_mask dtype:", m_dt, "| mismatch:", q_dt != m_dt)
