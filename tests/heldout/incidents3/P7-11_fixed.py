"""Decoder attention-mask preparation for a Llama-style model with an eager attention path."""
from typing import Optional

import torch
from torch import nn


def _make_causal_mask(bsz: int, tgt_len: int, dtype: torch.dtype, device) -> torch.Tensor:
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device)
    mask = torch.triu(mask, diagonal=1).to(dtype)
    return mask[None, None].expand(bsz, 1, tgt_len, tgt_len)


def _expand_mask(mask: torch.Tensor, dtype: torch.dtype, tgt_len: Optional[int] = None) -> torch.Tensor:
    """(bsz, src_len) 1/0 -> (bsz, 1, tgt_len, src_len) additive padding mask."""
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
    inverted = 1.0 - expanded
    return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)


class LlamaAttentionMaskMixin:
    def _prepare_decoder_attention_mask(self, attention_mask: Optional[torch.Tensor], input_shape, dtype, device):
        bsz, seq_len = input_shape
        combined = _make_causal_mask(bsz, seq_len, dtype, device) if seq_len > 1 else None
        if attention_mask is not None:
            padding = _expand_mask(attention_mask, dtype, tgt_len=seq_len).to(device)
            combined = padding if combined is None else torch.minimum(combined, padding)
        return combined


class LlamaEagerAttention(nn.Module):
    def __init__(self, hidden_size: int, num_heads: int):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        bsz, q_len, _ = hidden_states.shape
        q, k, v = (p(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        attn_weights = q @ k.transpose(2, 3) / self.head_dim ** 0.5
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
            attn_weights = torch.max(attn_weights, torch.tensor(torch.finfo(attn_weights.dtype).min))
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        out = (attn_weights @ v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(out)


class LlamaDecoderLayerStack(LlamaAttentionMaskMixin, nn.Module):
    def __init__(self, hidden_size: int = 64, num_heads: int = 4, num_layers: int = 2):
        super().__init__()
        self.layers = nn.ModuleList(LlamaEagerAttention(hidden_size, num_heads) for _ in range(num_layers))

    def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        mask = self._prepare_decoder_attention_mask(
            attention_mask, hidden_states.shape[:2], hidden_states.dtype, hidden_states.device
        )
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, mask)
        return hidden_states
