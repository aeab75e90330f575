"""Masks whose parameter names mislead: the code shows what they are."""
import torch
import torch.nn.functional as F


def create_attn_mask(q_len, k_padding_mask, is_causal=False):
    """(B, 1, Tq, Tk) bool, True = attend; k_padding_mask is True for real tokens."""
    mask = k_padding_mask[:, None, None, :].expand(-1, 1, q_len, -1)
    if is_causal:
        tk = k_padding_mask.shape[1]
        mask = mask & torch.tril(torch.ones(q_len, tk, dtype=torch.bool, device=mask.device))
    return mask


def falcon_sdpa(q, k, v, attention_mask):
    # attention_mask: (B, 1, L, S) bool, True = masked (built upstream)
    additive = (attention_mask * 1.0).masked_fill(attention_mask, -1e9).to(q.dtype)
    return F.scaled_dot_product_attention(q, k, v, additive, 0.0, is_causal=False)


def llama_sdpa(q, k, v, attention_mask):
    if attention_mask is not None:
        attention_mask = attention_mask[:, :, :, : k.shape[-2]]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)


def flash_style(scores, key_padding_mask):
    # key_padding_mask follows flash-attn: bool, True = keep
    pad = torch.full(key_padding_mask.shape, -10000.0, dtype=scores.dtype, device=scores.device)
    pad.masked_fill_(key_padding_mask.bool(), 0.0)
    return torch.softmax(scores + pad[:, None, None, :], dim=-1)
