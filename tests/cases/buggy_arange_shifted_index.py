"""Causal masks compared against a shifted index (`arange(n) + 1`): the old Hugging Face
`_make_causal_mask` idiom and two hand-written spellings."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_causal_bias(bsz, tgt_len, dtype, device):
    bias = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device)
    cond = torch.arange(bias.size(-1), device=device)
    bias.masked_fill_(cond < (cond + 1).view(bias.size(-1), 1), 0)
    return bias[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)


def make_padding_bias(mask, dtype):
    inverted = 1.0 - mask[:, None, None, :].to(dtype)
    return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)


def decoder_bias(attention_mask, input_ids, dtype):
    b, t = input_ids.shape
    causal = make_causal_bias(b, t, dtype, input_ids.device)
    return make_padding_bias(attention_mask, dtype) + causal  # expect: ML205


class ShiftedSelf(nn.Module):
    """Strictly-earlier keys only: `j + 1 <= i` hides the diagonal, row 0 has no key."""

    def __init__(self, d=32, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x):
        n = x.size(1)
        pos = torch.arange(n, device=x.device)
        keep = (pos + 1)[None, :] <= pos[:, None]
        return self.attn(x, x, x, attn_mask=~keep)[0]  # expect: ML404


def sdpa_with_block_mask(q, k, v):
    n = q.size(-2)
    pos = torch.arange(n, device=q.device)
    future = pos[None, :] >= (pos + 1).unsqueeze(-1)  # True above the diagonal: the future
    return F.scaled_dot_product_attention(q, k, v, attn_mask=future)  # expect: ML102
