import math
from typing import Callable, Dict, Optional

import torch
import torch.nn.functional as F

AttentionFn = Callable[..., torch.Tensor]
_REGISTRY: Dict[str, AttentionFn] = {}


def register(name: str):
    def deco(fn: AttentionFn) -> AttentionFn:
        _REGISTRY[name] = fn
        return fn
    return deco


@register("sdpa")
def sdpa_kernel(q, k, v, keep: Optional[torch.Tensor] = None, dropout_p: float = 0.0):
    """keep: bool, broadcastable to (B, H, L, S); True = may attend."""
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=dropout_p)


@register("eager")
def eager_kernel(q, k, v, keep: Optional[torch.Tensor] = None, dropout_p: float = 0.0):
    scores = torch.einsum("bhld,bhsd->bhls", q, k) / math.sqrt(q.shape[-1])
    if keep is not None:
        scores = scores.masked_fill(~keep, float("-inf"))
    probs = F.dropout(torch.softmax(scores, dim=-1), dropout_p)
    return torch.einsum("bhls,bhsd->bhld", probs, v)


def lookup(name: str) -> AttentionFn:
    return _REGISTRY[name]
