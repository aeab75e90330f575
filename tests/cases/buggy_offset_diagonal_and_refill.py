"""Causal masks with a cache-length diagonal, and a causal mask filled again at the padding (P1-2, P1-3)."""
import torch
import torch.nn.functional as F


def flash_attn(q, k, v):
    q_len, k_len = q.shape[-2], k.shape[-2]
    causal_mask = torch.ones((q_len, k_len), dtype=torch.bool, device=q.device).triu(k_len - q_len + 1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=causal_mask)  # expect: ML102


def prepare_4d(attention_mask, seq_len, dtype):
    min_dtype = torch.finfo(dtype).min
    causal = torch.triu(torch.full((seq_len, seq_len), min_dtype, dtype=dtype), diagonal=1)
    causal = causal[None, None, :, :].expand(attention_mask.shape[0], 1, -1, -1).clone()
    return causal.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)


def sdpa_forward(q, k, v, attention_mask):
    if attention_mask.dtype != torch.bool:
        attention_mask = attention_mask.bool()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)  # expect: ML102


def run(q, k, v):
    am = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
    return sdpa_forward(q, k, v, prepare_4d(am, 4, q.dtype))
