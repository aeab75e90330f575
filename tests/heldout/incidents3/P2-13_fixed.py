import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_attn_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """(B, S) 1/0 padding mask -> (B, 1, S, S) bool, True = masked out (causal + left padding)."""
    b, s = attention_mask.shape
    causal = torch.triu(torch.ones(s, s, dtype=torch.bool, device=attention_mask.device), diagonal=1)
    padded = ~attention_mask.bool()[:, None, None, :]
    masked = causal[None, None] | padded
    # left-padding rows would otherwise be empty: let each position see itself
    return masked & ~torch.eye(s, dtype=torch.bool, device=attention_mask.device)


class FalconAttention(nn.Module):
    def __init__(self, hidden_size: int, num_heads: int, use_sdpa: bool = True):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)
        self.use_sdpa = use_sdpa

    def forward(self, hidden_states: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        b, s, _ = hidden_states.shape
        fused = self.query_key_value(hidden_states).view(b, s, 3, self.num_heads, self.head_dim)
        q, k, v = fused.permute(2, 0, 3, 1, 4)
        attention_mask_float = torch.zeros(attention_mask.shape, dtype=q.dtype, device=q.device).masked_fill(attention_mask, torch.finfo(q.dtype).min)
        if self.use_sdpa:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask_float)
        else:
            scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
            out = F.softmax(scores + attention_mask_float, dim=-1) @ v
        return self.dense(out.transpose(1, 2).reshape(b, s, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = FalconAttention(hidden_size=32, num_heads=4)
    x = torch.randn(2, 5, 32)
    attention_mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])  # left padded batch
    mask = prepare_attn_mask(attention_mask)
    with torch.no_grad():
        sdpa_out = layer(x, mask)
        layer.use_sdpa = False
        eager_out = layer(x, mask)
    print("sdpa vs eager on real tokens:", (sdpa_out - eager_out)[0, 2:].abs().max().item())
