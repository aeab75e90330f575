"""Mask builder after a masking refactor (transformers#38690 style): the
padding and causal parts are each additive (finfo.min) and are summed, which
overflows to -inf; left-padded rows become all -inf.  The flash/mem-efficient
CUDA kernels return NaN for those rows; the CPU kernels in torch 2.13 may not
(kernel-dependent row: the smoke run counts -inf rows and reports NaN)."""
import torch
import torch.nn.functional as F


def _expand_padding(attention_mask, dtype):
    """Padding on both axes: pad queries and pad keys."""
    m = attention_mask.to(dtype)
    min_dtype = torch.finfo(dtype).min
    return (1.0 - m[:, None, :, None]) * min_dtype + (1.0 - m[:, None, None, :]) * min_dtype


def _causal(q_len, dtype):
    return torch.full((q_len, q_len), torch.finfo(dtype).min, dtype=dtype).triu(1)[None, None]


def build_sdpa_mask(attention_mask, q_len, dtype=torch.float32):
    mask = _causal(q_len, dtype) + _expand_padding(attention_mask, dtype)  # BUG
    return mask


if __name__ == "__main__":
    torch.manual_seed(0)
    am = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    mask = build_sdpa_mask(am, 5)
    q = torch.randn(2, 2, 5, 8)
    out = F.scaled_dot_product_attention(q, q, q, attn_mask=mask)
    print("all -inf query rows:", int(mask.isinf().all(-1).sum()), "| NaN in output:", bool(out.isnan().any()))
