"""Swap LlamaAttention.forward for a fused kernel (SDPA here, flash-attn on GPU).

Usage (before building the trainer):

    from workshop import replace_llama_attn_with_flash_attn
    replace_llama_attn_with_flash_attn()
"""
import warnings
from typing import Optional

import torch
import torch.nn.functional as F

from . import modeling_llama


def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
    q, k, v = (self._shape(p(hidden_states)) for p in (self.q_proj, self.k_proj, self.v_proj))
    if attention_mask is not None:
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask.to(q.dtype))
    else:
        out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return self.o_proj(out.transpose(1, 2).reshape(hidden_states.shape))


def replace_llama_attn_with_flash_attn():
    major = int(torch.__version__.split(".")[0])
    if major < 2:
        warnings.warn("Fused attention needs torch>=2.0; keeping the eager implementation.")
        return
    modeling_llama.LlamaAttention.forward = forward
