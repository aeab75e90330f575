"""A per-sample pair mask (queries' padding & keys' padding) combined with a causal triangle and
given a head axis: (N, 1, L, S) for SDPA, not an (L, L, S) stack (dia's create_attn_mask)."""
import torch
import torch.nn.functional as F


def create_attn_mask(q_valid, k_valid, is_causal=False):
    mask = q_valid[:, :, None] & k_valid[:, None, :]
    if is_causal:
        t = q_valid.shape[1]
        mask = mask & torch.tril(torch.ones(t, t, dtype=torch.bool))
    return mask.unsqueeze(1)


def decoder_self_attention(q, k, v):
    valid = torch.ones(2, 5, dtype=torch.bool)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=create_attn_mask(valid, valid, is_causal=True))
