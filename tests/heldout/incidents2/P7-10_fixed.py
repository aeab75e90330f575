from typing import Optional

import torch


class AttentionMaskConverter:
    def __init__(self, is_causal: bool, sliding_window: Optional[int] = None):
        self.is_causal = is_causal
        self.sliding_window = sliding_window

    @staticmethod
    def _make_causal_mask(bsz: int, tgt_len: int, dtype: torch.dtype, device) -> torch.Tensor:
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device)
        cond = torch.arange(tgt_len, device=device)
        mask.masked_fill_(cond < (cond + 1).view(tgt_len, 1), 0)
        return mask.to(dtype)[None, None].expand(bsz, 1, tgt_len, tgt_len)

    @staticmethod
    def _expand_mask(mask: torch.Tensor, dtype: torch.dtype, tgt_len: int) -> torch.Tensor:
        bsz, src_len = mask.size()
        expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted = 1.0 - expanded
        return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d: torch.Tensor, query_length: int, dtype: torch.dtype) -> torch.Tensor:
        bsz = attention_mask_2d.shape[0]
        causal_4d_mask = None
        if self.is_causal and query_length > 1:
            causal_4d_mask = self._make_causal_mask(bsz, query_length, dtype, attention_mask_2d.device)
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, query_length)
        if causal_4d_mask is not None:
            expanded_attn_mask = causal_4d_mask.masked_fill(expanded_attn_mask.bool(), torch.finfo(dtype).min)
        return expanded_attn_mask


def eager_attention(q, k, v, mask_4d):
    scores = q @ k.transpose(-1, -2) / q.size(-1) ** 0.5 + mask_4d
    return torch.softmax(scores, dim=-1) @ v


if __name__ == "__main__":
    converter = AttentionMaskConverter(is_causal=True)
    am = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    mask = converter.to_4d(am, query_length=5, dtype=torch.float16)
    q = k = v = torch.randn(2, 4, 5, 16, dtype=torch.float16)
    print(torch.isinf(mask).any(), eager_attention(q.float(), k.float(), v.float(), mask.float())[0, 0])
