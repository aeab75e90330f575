import torch
import torch.nn.functional as F


def _future_blocked(n):
    return torch.ones(n, n).triu(1).bool()


def _nothing_blocked(n):
    return torch.zeros(n, n, dtype=torch.bool)


MASK_KINDS = {"causal": _future_blocked, "bidirectional": _nothing_blocked}


def attend(q, k, v, kind="causal"):
    mask = MASK_KINDS[kind](q.size(-2))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
