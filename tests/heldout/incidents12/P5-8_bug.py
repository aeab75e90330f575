from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None, position_ids=None, **kwargs):
        raise NotImplementedError


def flash_attn_func(q, k, v, causal=True, attn_mask=None):
    q, k, v = (t.transpose(1, 2) for t in (q, k, v))
    if attn_mask is not None:
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
    else:
        out = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    return out.transpose(1, 2)


def llama_flash_attn_forward(
    self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None, position_ids: Optional[torch.LongTensor] = None, **kwargs
) -> Tuple[torch.Tensor, None]:
    bsz, q_len, _ = hidden_states.size()
    q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    keep = torch.ones(q_len, q_len, dtype=torch.bool).tril()[None, None] & attention_mask[:, None, None, :].bool()
    attn_output = flash_attn_func(q, k, v, causal=True)  # BUG
    return self.o_proj(attn_output.reshape(bsz, q_len, -1)), None


def replace_llama_attn_with_flash_attn():
    LlamaAttention.forward = llama_flash_attn_forward


if __name__ == "__main__":
    torch.manual_seed(0)
    replace_llama_attn_with_flash_attn()
    attn = LlamaAttention().eval()
    hidden = torch.randn(2, 6, 32)
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    noisy = hidden.clone()
    noisy[0, :2] = torch.randn(2, 32)
    with torch.no_grad():
        a, _ = attn(hidden, attention_mask)
        b, _ = attn(noisy, attention_mask)
    print(f"patched attention: real-token change when left-pad states change = {(a[0, 2:] - b[0, 2:]).abs().max().item():.4f}")
