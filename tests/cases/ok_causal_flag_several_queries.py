"""is_causal from the number of queries where it is right: without a cache (queries and keys the
same length), and with one when the new tokens are checked to be the whole sequence."""
import torch.nn.functional as F


def encode_prompt(q, k, v):
    L = q.size(2)
    return F.scaled_dot_product_attention(q, k, v, is_causal=L > 1)


def step(q, k_new, v_new, cache, start):
    k, v = cache.update(k_new, v_new)
    if q.size(2) == k.size(2):
        return F.scaled_dot_product_attention(q, k, v, is_causal=q.size(2) > 1)
    return F.scaled_dot_product_attention(q, k, v)
