"""Attention-mask converter (padding 2D -> causal 4D additive) configured by a dataclass."""
from dataclasses import dataclass
from typing import Optional

import torch


@dataclass
class ConverterConfig:
    is_causal: bool = True
    sliding_window: Optional[int] = None
    dtype: torch.dtype = torch.float16


class AttentionMaskConverter:
    def __init__(self, cfg: ConverterConfig):
        self.cfg = cfg

    def _make_causal_mask(self, bsz, tgt_len, past_len):
        dtype = self.cfg.dtype
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
        cond = torch.arange(tgt_len)
        mask.masked_fill_(cond < (cond + 1).view(tgt_len, 1), 0)
        mask = mask.to(dtype)
        if past_len > 0:
            mask = torch.cat([torch.zeros(tgt_len, past_len, dtype=dtype), mask], dim=-1)
        return mask[None, None].expand(bsz, 1, tgt_len, tgt_len + past_len)

    def _expand_mask(self, mask, tgt_len):
        bsz, src_len = mask.shape
        expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(self.cfg.dtype)
        inverted = 1.0 - expanded
        return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(self.cfg.dtype).min)

    def to_4d(self, attention_mask_2d, query_length):
        bsz, kv_len = attention_mask_2d.shape
        causal_4d = None
        if self.cfg.is_causal:
            causal_4d = self._make_causal_mask(bsz, query_length, kv_len - query_length)
        expanded = self._expand_mask(attention_mask_2d, query_length)
        if causal_4d is not None:
            expanded = causal_4d + expanded  # BUG
        return expanded


if __name__ == "__main__":
    conv = AttentionMaskConverter(ConverterConfig())
    am = torch.tensor([[0, 1, 1, 1], [1, 1, 1, 1]])
    m = conv.to_4d(am, 4)
    print("has -inf:", bool(torch.isinf(m).any()), m.dtype)
    scores = torch.zeros(2, 1, 4, 4, dtype=torch.float32) + m.float()
    print("finite probs:", torch.isfinite(scores.softmax(-1)).all().item())
