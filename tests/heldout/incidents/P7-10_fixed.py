from typing import Optional

import torch
from torch import nn


class AttentionMaskConverter:
    """Creates causal 4D masks and converts 2D padding masks (1 = keep) to additive 4D masks."""

    def __init__(self, is_causal: bool):
        self.is_causal = is_causal

    def to_causal_4d(self, batch_size, query_length, key_value_length, dtype, device):
        mask = torch.full((query_length, key_value_length), torch.finfo(dtype).min, device=device)
        mask = torch.triu(mask, diagonal=1 + key_value_length - query_length).to(dtype)
        return mask[None, None, :, :].expand(batch_size, 1, query_length, key_value_length)

    @staticmethod
    def _expand_mask(mask: torch.Tensor, dtype: torch.dtype, tgt_len: Optional[int] = None):
        bsz, src_len = mask.size()
        tgt_len = tgt_len if tgt_len is not None else src_len
        expanded_mask = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted_mask = 1.0 - expanded_mask
        return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d, query_length, dtype, key_value_length):
        input_shape = (attention_mask_2d.shape[0], query_length)
        causal_4d_mask = None
        if input_shape[-1] > 1 and self.is_causal:
            causal_4d_mask = self.to_causal_4d(input_shape[0], input_shape[-1], key_value_length, dtype, attention_mask_2d.device)
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, tgt_len=input_shape[-1]).to(attention_mask_2d.device)
        if causal_4d_mask is not None:
            expanded_attn_mask = causal_4d_mask.masked_fill(expanded_attn_mask.bool(), torch.finfo(dtype).min)
        expanded_4d_mask = expanded_attn_mask
        return expanded_4d_mask


def eager_attention(query, key, value, attention_mask):
    scores = query @ key.transpose(-1, -2) / query.shape[-1] ** 0.5
    scores = scores + attention_mask
    return torch.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype) @ value


class MistralAttention(nn.Module):
    def __init__(self, hidden_size=8, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, t, d = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, t, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
        return self.o_proj(eager_attention(q, k, v, attention_mask).transpose(1, 2).reshape(b, t, d))


def run():
    attn = MistralAttention()
    hidden_states = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    mask_4d = AttentionMaskConverter(is_causal=True).to_4d(attention_mask, 5, hidden_states.dtype, key_value_length=5)
    return attn(hidden_states, mask_4d)
