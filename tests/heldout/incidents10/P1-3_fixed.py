"""modeling_llama4.py (excerpt) - text attention dispatching to SDPA.

The model builds a 4-D additive causal mask (0 = attend, finfo.min = masked);
the SDPA integration converts it for the kernel.
"""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class Llama4TextConfig:
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_key_value_heads: int = 4
    attention_dropout: float = 0.0


def sdpa_attention_forward(module, query, key, value, attention_mask: Optional[torch.Tensor], dropout=0.0, scaling=None, is_causal=None):
    causal_mask = attention_mask
    if attention_mask is not None:
        causal_mask = causal_mask[:, :, :, : key.shape[-2]]
        if causal_mask.dtype != torch.bool:
            causal_mask = causal_mask == 0
    if is_causal is None:
        is_causal = query.shape[2] > 1 and causal_mask is None
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=causal_mask, dropout_p=dropout, scale=scaling, is_causal=is_causal)
    return out.transpose(1, 2).contiguous()


class Llama4TextAttention(nn.Module):
    def __init__(self, config: Llama4TextConfig):
        super().__init__()
        self.config = config
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(config.hidden_size, config.num_attention_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(config.num_attention_heads * self.head_dim, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, -1, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        out = sdpa_attention_forward(self, q, k, v, attention_mask, scaling=self.scaling)
        return self.o_proj(out.reshape(bsz, q_len, -1))


def _update_causal_mask(attention_mask_2d, dtype, seq_len):
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_dtype, dtype=dtype).triu(1)
    causal = causal[None, None].expand(attention_mask_2d.shape[0], 1, -1, -1).clone()
    pad = attention_mask_2d[:, None, None, :] == 0
    return causal.masked_fill(pad, min_dtype)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = Llama4TextConfig()
    attn = Llama4TextAttention(cfg).eval()
    x = torch.randn(2, 6, cfg.hidden_size)
    am = torch.ones(2, 6, dtype=torch.long)
    mask4d = _update_causal_mask(am, x.dtype, 6)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, cfg.hidden_size)
    with torch.no_grad():
        a, b = attn(x, attention_mask=mask4d), attn(x2, attention_mask=mask4d)
    print("prefix change when last token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
