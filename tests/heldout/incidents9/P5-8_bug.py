"""Monkey patch that routes a GPTBigCode-style attention through a fused kernel."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class GPTBigCodeAttention(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, attention_mask=None):
        raise NotImplementedError("replaced by the patch below")


def flash_attn_func(q, k, v, causal=True):
    """Stand-in for flash_attn.flash_attn_func: (B, S, H, D) layout, no mask argument."""
    out = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal=causal)
    return out.transpose(1, 2)


def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None, **kwargs):
    bsz, q_len, _ = hidden_states.size()
    query, key, value = self.c_attn(hidden_states).split(self.num_heads * self.head_dim, dim=2)
    query, key, value = (t.view(bsz, q_len, self.num_heads, self.head_dim) for t in (query, key, value))
    attn_output = flash_attn_func(query, key, value, causal=True)  # BUG
    return self.c_proj(attn_output.reshape(bsz, q_len, -1))


def replace_attn_with_flash_attn():
    GPTBigCodeAttention.forward = forward


if __name__ == "__main__":
    torch.manual_seed(0)
    replace_attn_with_flash_attn()
    attn = GPTBigCodeAttention().eval()
    x = torch.randn(2, 6, 32)
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])  # left padding
    with torch.no_grad():
        out = attn(x, attention_mask=attention_mask)
        x2 = x.clone()
        x2[0, :2] = torch.randn(2, 32)  # different padding embeddings
        out2 = attn(x2, attention_mask=attention_mask)
    print(out.shape)
    print("real tokens depend on padding:", (out2 - out)[0, 2:].abs().max().item())
