"""The same pair mask without its head axis: a per-sample (N, L, S) mask into SDPA, which reads a
3-D mask as (1, N, L, S): sample i's mask lands on head i."""
import torch
import torch.nn.functional as F


def create_attn_mask(q_valid, k_valid):
    mask = q_valid[:, :, None] & k_valid[:, None, :]
    t = q_valid.shape[1]
    return mask & torch.tril(torch.ones(t, t, dtype=torch.bool))


def decoder_self_attention(q, k, v, batch_size, length):
    valid = torch.ones(batch_size, length, dtype=torch.bool)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=create_attn_mask(valid, valid))  # expect: ML301
