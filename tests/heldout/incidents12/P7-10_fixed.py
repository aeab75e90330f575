import torch


class AttentionMaskConverter:
    def __init__(self, is_causal: bool, sliding_window=None):
        self.is_causal = is_causal
        self.sliding_window = sliding_window

    def to_causal_4d(self, batch_size, query_length, key_value_length, dtype):
        mask = torch.full((query_length, key_value_length), torch.finfo(dtype).min, dtype=dtype)
        mask = torch.triu(mask, diagonal=1 + key_value_length - query_length)
        return mask[None, None].expand(batch_size, 1, query_length, key_value_length)

    @staticmethod
    def _expand_mask(mask, dtype, tgt_len):
        bsz, src_len = mask.size()
        expanded_mask = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted_mask = 1.0 - expanded_mask
        return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d, query_length, dtype, key_value_length):
        input_shape = (attention_mask_2d.shape[0], query_length)
        causal_4d_mask = None
        if input_shape[-1] > 1 and self.is_causal:
            causal_4d_mask = self.to_causal_4d(input_shape[0], input_shape[-1], key_value_length, dtype)
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, tgt_len=input_shape[-1])
        if causal_4d_mask is not None:
            expanded_attn_mask = causal_4d_mask.masked_fill(expanded_attn_mask.bool(), torch.finfo(dtype).min)
        return expanded_attn_mask


def eager_scores(q, k, mask):
    scores = q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5 + mask
    return torch.softmax(scores.float(), dim=-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    converter = AttentionMaskConverter(is_causal=True)
    attention_mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    mask4d = converter.to_4d(attention_mask, 5, torch.float16, key_value_length=5)
    q, k = torch.randn(2, 2, 5, 8, dtype=torch.float16), torch.randn(2, 2, 5, 8, dtype=torch.float16)
    probs = eager_scores(q, k, mask4d)
    print(f"-inf entries in 4D mask: {int(torch.isinf(mask4d).sum())}; NaN attention probs: {int(torch.isnan(probs).sum())}")
