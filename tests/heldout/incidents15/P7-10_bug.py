from typing import Optional

import torch


class AttentionMaskConverter:
    def __init__(self, is_causal: bool, sliding_window: Optional[int] = None):
        self.is_causal = is_causal
        self.sliding_window = sliding_window

    def to_4d(self, attention_mask_2d, query_length, dtype, key_value_length=None):
        input_shape = (attention_mask_2d.shape[0], query_length)
        causal_4d_mask = None
        if (input_shape[-1] > 1 or self.sliding_window is not None) and self.is_causal:
            causal_4d_mask = self._make_causal_mask(input_shape, dtype, past_key_values_length=key_value_length - query_length)
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, tgt_len=input_shape[-1])
        if causal_4d_mask is not None:
            expanded_attn_mask = causal_4d_mask + expanded_attn_mask  # BUG
        return expanded_attn_mask

    @staticmethod
    def _make_causal_mask(input_ids_shape, dtype, past_key_values_length=0):
        bsz, tgt_len = input_ids_shape
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
        mask_cond = torch.arange(mask.size(-1))
        mask.masked_fill_(mask_cond < (mask_cond + 1).view(mask.size(-1), 1), 0)
        mask = mask.to(dtype)
        if past_key_values_length > 0:
            mask = torch.cat([torch.zeros(tgt_len, past_key_values_length, dtype=dtype), mask], dim=-1)
        return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len + past_key_values_length)

    @staticmethod
    def _expand_mask(mask, dtype, tgt_len=None):
        bsz, src_len = mask.size()
        tgt_len = tgt_len if tgt_len is not None else src_len
        expanded_mask = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted_mask = 1.0 - expanded_mask
        return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)


def eager_attention(query, key, value, attention_mask):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) / query.shape[-1] ** 0.5
    attn_weights = attn_weights + attention_mask
    attn_weights = torch.nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    return torch.matmul(attn_weights, value), attn_weights


if __name__ == "__main__":
    torch.manual_seed(0)
    converter = AttentionMaskConverter(is_causal=True)
    attention_mask_2d = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    mask_4d = converter.to_4d(attention_mask_2d, query_length=5, dtype=torch.float32, key_value_length=5)
    q, k, v = (torch.randn(2, 2, 5, 8) for _ in range(3))
    out, weights = eager_attention(q, k, v, mask_4d)
    print(f"-inf entries in 4D mask: {int(torch.isinf(mask_4d).sum())}, "
          f"keys attended by the first left-pad query: {int((weights[0, 0, 0] > 1e-6).sum())}")
