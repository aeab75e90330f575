"""Tokenizer masks are int64 with 1 = real token.  SDPA takes a bool mask in
which True means "may attend", so the keep-mask only needs a dtype change and
two broadcast axes (heads, queries)."""
import torch


def sdpa_key_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    return attention_mask.bool()[:, None, None, :]          # (N, 1, 1, S)


def mean_pool(h: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    w = attention_mask.to(h.dtype).unsqueeze(-1)
    return (h * w).sum(1) / w.sum(1)
