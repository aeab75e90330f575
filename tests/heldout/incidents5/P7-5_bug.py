"""Batched inference helpers for a Gemma-style model: left-pad, build SDPA mask, run in fp16."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def left_pad(prompts, pad_id=0):
    L = max(len(p) for p in prompts)
    ids = torch.tensor([[pad_id] * (L - len(p)) + p for p in prompts])
    am = torch.tensor([[0] * (L - len(p)) + [1] * len(p) for p in prompts])
    return ids, am


def sdpa_mask(attention_mask, q_len, kv_offset=0, sliding_window=None):
    """Boolean (B, 1, q, kv), True = attend."""
    kv_len = attention_mask.shape[1]
    q_idx = torch.arange(kv_offset, kv_offset + q_len)[:, None]
    kv_idx = torch.arange(kv_len)[None, :]
    allowed = kv_idx <= q_idx
    if sliding_window is not None:
        allowed = allowed & (q_idx - kv_idx < sliding_window)
    return allowed[None, None] & attention_mask[:, None, None, :].bool()  # BUG


def attention(params, x, mask, heads, dtype=torch.float16):
    b, t, d = x.shape
    split = lambda y: y.view(b, t, heads, -1).transpose(1, 2).to(dtype)
    q, k, v = (split(params[n](x)) for n in ("q", "k", "v"))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # BUG
    return params["o"](out.float().transpose(1, 2).reshape(b, t, d))


def run_batch(params, emb, prompts, heads=4, sliding_window=4):
    ids, am = left_pad(prompts)
    x = emb(ids)
    mask = sdpa_mask(am, ids.shape[1], sliding_window=sliding_window)
    return attention(params, x, mask, heads), am


if __name__ == "__main__":
    torch.manual_seed(0)
    d = 32
    params = nn.ModuleDict({n: nn.Linear(d, d, bias=False) for n in "qkvo"})
    emb = nn.Embedding(50, d)
    with torch.no_grad():
        out, am = run_batch(params, emb, [[3, 4], [5, 6, 7, 8, 9, 10]])
    print("finite:", torch.isfinite(out).all().item())
