"""An int mask given columns for learned query tokens (BLIP-2's Q-Former) keeps its dtype: SDPA
rejects it, whether or not the positions of its ones are followed."""
import torch
import torch.nn.functional as F


def batch_mask(lengths, max_len):
    mask = torch.zeros(len(lengths), max_len, dtype=torch.long)
    for i, n in enumerate(lengths):
        mask[i, :n] = 1
    return mask


def joint_attention(q, k, v, text_mask, n_query):
    full = torch.cat([text_mask.new_ones(text_mask.size(0), n_query), text_mask], dim=1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=full[:, None, None, :])


def run(q, k, v):
    return joint_attention(q, k, v, batch_mask([3, 5], 5), 4)  # expect: ML203


def pair(q, k, v, ids_a, ids_b, pad=0):
    both = torch.cat([(ids_a != pad).long(), (ids_b != pad).long()], dim=-1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=both[:, None, None, :])  # expect: ML203
