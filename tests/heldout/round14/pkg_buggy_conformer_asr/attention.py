import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadedSelfAttention(nn.Module):
    def __init__(self, n_head: int, n_feat: int, dropout_rate: float):
        super().__init__()
        self.h, self.d_k = n_head, n_feat // n_head
        self.linear_qkv = nn.Linear(n_feat, 3 * n_feat)
        self.linear_out = nn.Linear(n_feat, n_feat)
        self.dropout_rate = dropout_rate

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        q, k, v = self.linear_qkv(x).view(b, t, 3, self.h, self.d_k).unbind(2)
        q, k, v = (z.transpose(1, 2) for z in (q, k, v))
        ctx = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=pad_mask[:, None, None, :],  # expect: ML102
            dropout_p=self.dropout_rate if self.training else 0.0,
        )
        return self.linear_out(ctx.transpose(1, 2).reshape(b, t, self.h * self.d_k))
