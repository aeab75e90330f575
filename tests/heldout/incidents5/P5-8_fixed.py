"""Monkey-patch that routes a Llama-style attention module through a flash-attention kernel."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def flash_attn_func(q, k, v, causal=True, softmax_scale=None):
    """Dense stand-in for flash_attn_func; inputs are (B, T, H, D)."""
    q, k, v = (x.transpose(1, 2) for x in (q, k, v))
    out = F.scaled_dot_product_attention(q, k, v, is_causal=causal, scale=softmax_scale)
    return out.transpose(1, 2)


def flash_attn_varlen_equivalent(q, k, v, attention_mask, causal=True):
    """Padding-aware path: per-sample attention on the unpadded tokens (right padding)."""
    out = torch.zeros_like(q)
    for b, n in enumerate(attention_mask.sum(-1).tolist()):
        out[b, :n] = flash_attn_func(q[b : b + 1, :n], k[b : b + 1, :n], v[b : b + 1, :n], causal)[0]
    return out


def patched_forward(self, hidden_states, attention_mask=None, **kwargs):
    b, t, _ = hidden_states.shape
    shape = (b, t, self.num_heads, self.head_dim)
    q = self.q_proj(hidden_states).view(shape)
    k = self.k_proj(hidden_states).view(shape)
    v = self.v_proj(hidden_states).view(shape)
    if attention_mask is not None and not bool(attention_mask.all()):
        out = flash_attn_varlen_equivalent(q, k, v, attention_mask, causal=True)
    else:
        out = flash_attn_func(q, k, v, causal=True)
    return self.o_proj(out.reshape(b, t, -1))


class LlamaAttention(nn.Module):
    def __init__(self, dim=32, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, dim // num_heads
        self.q_proj, self.k_proj, self.v_proj, self.o_proj = (nn.Linear(dim, dim, bias=False) for _ in range(4))

    def forward(self, hidden_states, attention_mask=None):
        raise NotImplementedError


def replace_llama_attn_with_flash_attn(module_cls=LlamaAttention):
    module_cls.forward = patched_forward


if __name__ == "__main__":
    torch.manual_seed(0)
    replace_llama_attn_with_flash_attn()
    attn = LlamaAttention()
    x = torch.randn(2, 5, 32)
    am = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    run = functools.partial(attn, attention_mask=am)
    with torch.no_grad():
        print(run(x).shape)
