"""Config-driven causal-mask factory shared by the eager and SDPA attention paths."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F


@dataclass
class MaskConfig:
    attn_implementation: str = "sdpa"
    sliding_window: Optional[int] = None
    pad_id: int = 0


def causal_mask_function(q_idx, kv_idx):
    return kv_idx <= q_idx


def padding_mask_function(attention_mask):
    return lambda b, q_idx, kv_idx: attention_mask[b, kv_idx].bool()


def sdpa_mask(cfg: MaskConfig, attention_mask, cache_position, kv_length):
    b = attention_mask.shape[0]
    q_idx = cache_position[:, None]
    kv_idx = torch.arange(kv_length)[None, :]
    allowed = causal_mask_function(q_idx, kv_idx)
    if cfg.sliding_window is not None:
        allowed = allowed & (q_idx - kv_idx < cfg.sliding_window)
    pad = padding_mask_function(attention_mask)
    batch_idx = torch.arange(b)[:, None, None]
    allowed = allowed[None] & pad(batch_idx, q_idx[None], kv_idx[None])
    return allowed[:, None]  # BUG


def attend(cfg: MaskConfig, q, k, v, attention_mask, cache_position):
    mask = sdpa_mask(cfg, attention_mask, cache_position, k.shape[-2])
    if cfg.attn_implementation == "sdpa":
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # BUG
    scores = (q @ k.transpose(-1, -2)) * q.shape[-1] ** -0.5
    scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
    return scores.softmax(-1) @ v


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = MaskConfig(sliding_window=3)
    q, k, v = (torch.randn(2, 4, 6, 8) for _ in range(3))
    am = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    out = attend(cfg, q, k, v, am, torch.arange(6))
    eager = attend(MaskConfig(attn_implementation="eager", sliding_window=3), q, k, v, am, torch.arange(6))
    print("finite:", torch.isfinite(out).all().item(), "match on real rows:",
          torch.allclose(out[0, :, 3:], eager[0, :, 3:], atol=1e-5))
