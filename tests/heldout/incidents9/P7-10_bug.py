from typing import Optional

import torch


class AttentionMaskConverter:
    def __init__(self, is_causal: bool):
        self.is_causal = is_causal

    @staticmethod
    def _make_causal_mask(input_shape, dtype):
        bsz, tgt_len = input_shape
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
        mask_cond = torch.arange(tgt_len)
        mask.masked_fill_(mask_cond < (mask_cond + 1).view(tgt_len, 1), 0)
        return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len).to(dtype)

    @staticmethod
    def _expand_mask(mask: torch.Tensor, dtype: torch.dtype, tgt_len: Optional[int] = None):
        bsz, src_len = mask.size()
        tgt_len = tgt_len if tgt_len is not None else src_len
        expanded_mask = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted_mask = 1.0 - expanded_mask
        return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d, query_length, dtype):
        input_shape = (attention_mask_2d.shape[0], query_length)
        causal_4d_mask = self._make_causal_mask(input_shape, dtype) if self.is_causal else None
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, tgt_len=input_shape[-1])
        if causal_4d_mask is not None:
            expanded_attn_mask = causal_4d_mask + expanded_attn_mask  # BUG
        return expanded_attn_mask

    @staticmethod
    def _unmask_unattended(expanded_mask, min_dtype):
        """Let fully masked rows (left padding) attend everywhere: needed by the mem-efficient SDPA kernel."""
        return expanded_mask.mul(~torch.all(expanded_mask == min_dtype, dim=-1, keepdim=True))


if __name__ == "__main__":
    dtype = torch.float32
    attention_mask = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 1, 1, 1]])  # left padding
    converter = AttentionMaskConverter(is_causal=True)
    mask4d = converter.to_4d(attention_mask, query_length=5, dtype=dtype)
    mask4d = AttentionMaskConverter._unmask_unattended(mask4d, torch.finfo(dtype).min)
    print(mask4d.shape)
    print("-inf entries:", int(torch.isinf(mask4d).sum()))
    print("rows still without any attendable key:", int((mask4d <= torch.finfo(dtype).min).all(-1).sum()))
