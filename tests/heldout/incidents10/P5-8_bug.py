"""llama_flash_attn_monkey_patch.py style (LLM-Workshop): replaces
LlamaAttention.forward with a flash-attn forward.  flash_attn is not present
on CPU; stand-ins with the same signatures are defined below."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

try:
    from flash_attn import flash_attn_func, flash_attn_varlen_func
except ImportError:
    def flash_attn_func(q, k, v, dropout_p=0.0, softmax_scale=None, causal=False):
        o = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal=causal)
        return o.transpose(1, 2)

    def flash_attn_varlen_func(q, k, v, cu_seqlens_q, cu_seqlens_k, max_seqlen_q, max_seqlen_k, dropout_p=0.0, softmax_scale=None, causal=False):
        outs = []
        for i in range(len(cu_seqlens_q) - 1):
            s, e = int(cu_seqlens_q[i]), int(cu_seqlens_q[i + 1])
            outs.append(F.scaled_dot_product_attention(*(t[s:e].transpose(0, 1) for t in (q, k, v)), is_causal=causal).transpose(0, 1))
        return torch.cat(outs)


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)


def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None, **kwargs):
    bsz, q_len, _ = hidden_states.size()
    q, k, v = (p(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim) for p in (self.q_proj, self.k_proj, self.v_proj))
    attn_output = flash_attn_func(q, k, v, 0.0, softmax_scale=None, causal=True)  # BUG
    return self.o_proj(attn_output.reshape(bsz, q_len, -1)), None, None


def replace_llama_attn_with_flash_attn():
    LlamaAttention.forward = forward


if __name__ == "__main__":
    torch.manual_seed(0)
    replace_llama_attn_with_flash_attn()
    attn = LlamaAttention()
    x = torch.randn(2, 6, 32)
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1] * 6])  # left padded for generation
    x2 = x.clone(); x2[0, :2] = torch.randn(2, 32) * 10
    with torch.no_grad():
        a = attn(x, attention_mask=attention_mask)[0]
        b = attn(x2, attention_mask=attention_mask)[0]
    print("real-token change from left-pad content:", (a[0, 2:] - b[0, 2:]).abs().max().item())
