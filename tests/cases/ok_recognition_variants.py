"""The correct twins: local causal windows, keep masks extended with unsqueeze, 4-D keep comparisons."""
import torch
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def unsqueezed_padding(q, k, v, attention_mask):
    extended = attention_mask.unsqueeze(1).unsqueeze(2)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=extended.bool())


def window_mask_mod(q, k, v, window: int):
    def local(b, h, q_idx, kv_idx):
        return (q_idx >= kv_idx) & (q_idx - kv_idx < window)

    bm = create_block_mask(local, None, None, q.size(-2), q.size(-2))
    return flex_attention(q, k, v, block_mask=bm)


def additive(q, k, v, attention_mask):
    bias = (1.0 - attention_mask[:, None, None, :].to(q.dtype)) * torch.finfo(q.dtype).min
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


def four_d_comparison(q, k, v, ids, pad_id: int):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=ids[:, None, None, :] != pad_id)
