"""One keep-mask, two kernels: each converted to the convention of the kernel that consumes it."""
import enum

import torch
import torch.nn as nn
import torch.nn.functional as F


class Impl(str, enum.Enum):
    TORCH_MHA = "torch_mha"
    SDPA = "sdpa"


class PaddedSelfAttention(nn.Module):
    def __init__(self, dim=32, heads=4, impl: Impl = Impl.SDPA):
        super().__init__()
        self.impl, self.heads = Impl(impl), heads
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, attention_mask):
        keep = attention_mask.bool()  # True = real token
        if self.impl is Impl.TORCH_MHA:
            out, _ = self.mha(x, x, x, key_padding_mask=~keep, need_weights=False)
            return out
        # reuse the MHA projections so both kernels compute the same function
        B, T, C = x.shape
        w, b = self.mha.in_proj_weight, self.mha.in_proj_bias
        q, k, v = F.linear(x, w, b).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
        return self.mha.out_proj(y.transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    a = PaddedSelfAttention(impl="torch_mha").train()
    b = PaddedSelfAttention(impl=Impl.SDPA).train()
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 5, 32)
    am = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    assert torch.allclose(a(x, am), b(x, am), atol=1e-5)
    print("both kernels agree")
