"""Query rows with no key: which of them are padded queries, and where torch's kernels give such
rows a finite output (shared by the API validators, the every-call check and hand-written
attention)."""
from __future__ import annotations

import torch

#: devices whose SDPA and flex kernels give a query with no key 0 in float32 (torch >= 2.5)
ZERO_ROWS = ("cpu",)


def runs_in_half(query: torch.Tensor) -> bool:
    """float16 / bfloat16, or under autocast: the dtypes of the fused GPU kernels."""
    return query.dtype in (torch.float16, torch.bfloat16) or torch.is_autocast_enabled(query.device.type)


def padded_queries(keep: torch.Tensor, dead: torch.Tensor, to_longest: bool = False) -> torch.Tensor:
    """Of the ``dead`` query rows (..., Lq) of a ``keep`` mask (..., Lq, Lk), those of padded
    queries, in samples where some query has keys (a sample that is all padding is not "padded
    queries").  Square: no query of the sample sees that position as a key.  Otherwise (a query
    padding mask in cross-attention): the dead rows are one run at an end of the queries.
    ``to_longest``: a run from the first query (left padding under a causal mask) counts only in
    a batch padded to its longest sample, which keeps every query: a right-padding mask inverted
    under a causal one hides the real queries' rows the same way, and leaves the unpadded sample
    none."""
    live = (~dead).any(-1, keepdim=True)
    if keep.shape[-1] == keep.shape[-2]:
        out = dead & (~keep).all(-2) & live
    else:
        lq = dead.shape[-1]
        first, last = dead.int().argmin(-1, keepdim=True), lq - 1 - dead.flip(-1).int().argmin(-1, keepdim=True)
        pos = torch.arange(lq, device=dead.device)
        prefix, suffix = pos < first, pos > last  # the leading and trailing runs of dead rows
        # and the other queries all see the same keys: a mask over the queries times one over the
        # keys (a window whose real queries run out of keys is not padding)
        row = keep.gather(-2, (~dead).int().argmax(-1)[..., None, None].expand(*keep.shape[:-2], 1, keep.shape[-1]))
        alike = ((keep == row).all(-1) | dead).all(-1, keepdim=True)
        out = dead & (prefix | suffix) & (dead == (prefix | suffix)).all(-1, keepdim=True) & live & alike
    if to_longest and not bool((~dead).all(-1).any()):
        out = out & ~dead[..., :1]
    return out
