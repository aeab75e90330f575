import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class FalconAttention(nn.Module):
    def __init__(self, hidden_size: int = 4544, num_heads: int = 71):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.query_key_value = nn.Linear(hidden_size, hidden_size + 2 * self.head_dim, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)
        self.use_sdpa = hasattr(F, "scaled_dot_product_attention")

    def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor]):
        # attention_mask: (B, 1, q, kv) bool, True = masked (causal + padding)
        bsz, q_len, _ = hidden_states.shape
        fused = self.query_key_value(hidden_states)
        q, k, v = fused.split([self.num_heads * self.head_dim, self.head_dim, self.head_dim], dim=-1)
        q = q.view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        k = k.view(bsz, q_len, 1, self.head_dim).transpose(1, 2).expand(-1, self.num_heads, -1, -1)
        v = v.view(bsz, q_len, 1, self.head_dim).transpose(1, 2).expand(-1, self.num_heads, -1, -1)

        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, -1e9).to(torch.bfloat16)  # BUG: hard-coded dtype

        if self.use_sdpa:
            attn_output = F.scaled_dot_product_attention(q, k, v, None, 0.0, is_causal=True)  # BUG: padding mask dropped
        else:
            scores = (q @ k.transpose(-1, -2)) * self.inv_norm_factor
            probs = F.softmax(scores + attention_mask_float, dim=-1, dtype=hidden_states.dtype)
            attn_output = probs @ v

        attn_output = attn_output.transpose(1, 2).reshape(bsz, q_len, -1)
        return self.dense(attn_output)


def prepare_attn_mask(padding_mask: torch.Tensor) -> torch.Tensor:
    bsz, seq = padding_mask.shape
    causal = torch.triu(torch.ones(seq, seq, dtype=torch.bool), diagonal=1)
    return causal[None, None] | ~padding_mask.bool()[:, None, None, :]


if __name__ == "__main__":
    attn = FalconAttention(hidden_size=256, num_heads=4).half()
    x = torch.randn(2, 6, 256).half()
    left_padded = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    print(attn(x, prepare_attn_mask(left_padded)).shape)
