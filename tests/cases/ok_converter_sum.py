"""The same converter combining the masks with torch.minimum: no overflow."""
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
        return expanded if causal is None else torch.minimum(expanded, causal)


def build(hidden_states):
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    return MaskConverter(is_causal=True).to_4d(attention_mask, 5, hidden_states.dtype, key_value_length=5)


def clamped_sum(attention_mask: torch.Tensor, seq_len: int, dtype: torch.dtype) -> torch.Tensor:
    """The sum of two finfo.min masks clamped back into range: no overflow."""
    min_val = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_val, dtype=dtype, device=attention_mask.device).triu(1)
    pad = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    return (causal[None, None] + pad).clamp(min=min_val)


def maximum_sum(attention_mask: torch.Tensor, seq_len: int, dtype: torch.dtype) -> torch.Tensor:
    min_val = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_val, dtype=dtype, device=attention_mask.device).triu(1)
    pad = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    return torch.maximum(causal[None, None] + pad, torch.tensor(min_val, dtype=dtype))


class Decoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(100, 8)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        a = clamped_sum(attention_mask, input_ids.size(1), h.dtype)
        b = maximum_sum(attention_mask, input_ids.size(1), h.dtype)
        scores = h @ h.transpose(1, 2)
        return (scores[:, None] + a).softmax(-1), (scores[:, None] + b).softmax(-1)


@torch.no_grad()
def generate(model: Decoder, ids):
    # no padding: the padding half is all zeros, and the sum cannot overflow either
    return model(ids)
