"""The same masks made bool before SDPA."""
import torch
import torch.nn.functional as F


def batch_mask(lengths, max_len):
    mask = torch.zeros(len(lengths), max_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        mask[i, :n] = 1
    return mask


def joint_attention(q, k, v, text_mask, n_query):
    full = torch.cat([text_mask.new_ones(text_mask.size(0), n_query), text_mask], dim=1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=full[:, None, None, :].bool())


def run(q, k, v):
    return joint_attention(q, k, v, batch_mask([3, 5], 5), 4)


def pair(q, k, v, ids_a, ids_b, pad=0):
    both = torch.cat([ids_a != pad, ids_b != pad], dim=-1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=both[:, None, None, :])
