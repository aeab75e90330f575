"""is_causal set from the number of new tokens (`L > 1`, `q_len != 1`) on keys a KV cache has grown:
one-token decoding needs no mask, but a chunk of several new tokens (speculative verification of a
draft, chunked prefill) gets SDPA's top-left causal mask against the longer cached keys."""
import torch
import torch.nn.functional as F


class Cache:
    def __init__(self):
        self.k = self.v = None

    def update(self, k, v):
        self.k = k if self.k is None else torch.cat([self.k, k], dim=2)
        self.v = v if self.v is None else torch.cat([self.v, v], dim=2)
        return self.k, self.v


def verify_draft(q, k, v, cache):
    L = q.size(2)
    k, v = cache.update(k, v)
    return F.scaled_dot_product_attention(q, k, v, is_causal=L > 1)  # expect: ML405


def prefill_chunk(q, k_new, v_new, past_key_value):
    q_len = q.shape[-2]
    k, v = past_key_value.update(k_new, v_new)
    return F.scaled_dot_product_attention(q, k, v, is_causal=q_len != 1)  # expect: ML405
