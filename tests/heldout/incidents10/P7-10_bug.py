"""modeling_attn_mask_utils.py style AttentionMaskConverter (excerpt): the
causal part and the expanded padding part are both finfo.min-additive and are
summed, overflowing to -inf where a key is both future and padding."""
import torch


class AttentionMaskConverter:
    def __init__(self, is_causal: bool):
        self.is_causal = is_causal

    @staticmethod
    def _make_causal_mask(input_ids_shape, dtype):
        bsz, tgt_len = input_ids_shape
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
        cond = torch.arange(tgt_len)
        mask.masked_fill_(cond < (cond + 1).view(tgt_len, 1), 0)
        return mask.to(dtype)[None, None].expand(bsz, 1, tgt_len, tgt_len)

    @staticmethod
    def _expand_mask(mask, dtype, tgt_len):
        bsz, src_len = mask.size()
        expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted = 1.0 - expanded
        return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d, query_length, dtype):
        input_shape = (attention_mask_2d.shape[0], query_length)
        causal_4d_mask = self._make_causal_mask(input_shape, dtype) if self.is_causal else None
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, tgt_len=query_length)
        if causal_4d_mask is not None:
            expanded_attn_mask = causal_4d_mask + expanded_attn_mask  # BUG
        return expanded_attn_mask


def eager_attention(q, k, v, mask):
    w = q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5 + mask
    return torch.softmax(w, -1) @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    converter = AttentionMaskConverter(is_causal=True)
    am = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])  # right padding
    mask = converter.to_4d(am, 5, torch.float32)
    q = torch.randn(2, 2, 5, 8)
    out = eager_attention(q, q, q, mask)
    print("-inf entries in 4-D mask:", int(mask.isinf().sum()), "| NaN:", bool(out.isnan().any()))
