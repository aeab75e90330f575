"""A mask converter summing a causal and a padding mask both filled with finfo.min (transformers PR#27114, P7-10)."""
from typing import Optional

import torch


class MaskConverter:
    def __init__(self, is_causal: bool):
        self.is_causal = is_causal

    def to_causal_4d(self, batch_size, query_length, key_value_length, dtype):
        mask = torch.full((query_length, key_value_length), torch.finfo(dtype).min)
        mask = torch.triu(mask, diagonal=1 + key_value_length - query_length).to(dtype)
        return mask[None, None, :, :].expand(batch_size, 1, query_length, key_value_length)

    @staticmethod
    def _expand_mask(mask: torch.Tensor, dtype: torch.dtype, tgt_len: Optional[int] = None):
        bsz, src_len = mask.size()
        tgt_len = tgt_len if tgt_len is not None else src_len
        expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted = 1.0 - expanded
        return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, mask_2d, query_length, dtype, key_value_length):
        causal = None
        if query_length > 1 and self.is_causal:
            causal = self.to_causal_4d(mask_2d.shape[0], query_length, key_value_length, dtype)
        expanded = self._expand_mask(mask_2d, dtype, tgt_len=query_length)
        return expanded if causal is None else expanded + causal  # expect: ML205


def build(hidden_states):
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    return MaskConverter(is_causal=True).to_4d(attention_mask, 5, hidden_states.dtype, key_value_length=5)
