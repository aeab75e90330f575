"""Dynamic-mask attention reference implementation on top of FlexAttention.

`attn_mask` is a (batch, heads, q, k) keep-mask (1 = attend), e.g. a causal
top-k selection produced by the mask generator below.
"""
import warnings

import torch
from torch.nn.attention.flex_attention import flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


def build_topk_causal_mask(zoh_states, keep_window_size):
    """Keep the `keep_window_size` largest past keys of each query (1 = attend)."""
    b, h, q_len, k_len = zoh_states.shape
    causal = torch.ones(q_len, k_len, dtype=torch.bool, device=zoh_states.device).tril()
    scores = zoh_states.masked_fill(~causal, float("-inf"))
    k = min(keep_window_size, k_len)
    topk = scores.topk(k, dim=-1).indices
    mask = torch.zeros_like(zoh_states).scatter(-1, topk, 1.0)
    return mask * causal  # float 0/1 keep-mask


def flex_dynamic_mask_attention(query, key, value, attn_mask, attn_bias, scale=None):
    """query/key/value: (b, h, n, d); attn_mask: 0/1 keep-mask; attn_bias: additive bias."""

    def score_mod(score, batch_idx, head_idx, q_idx, kv_idx):
        score = score + attn_bias[batch_idx, head_idx, q_idx, kv_idx]
        score = torch.where(attn_mask[batch_idx, head_idx, q_idx, kv_idx] > 0, score, float("-inf"))
        return score

    return flex_attention(query, key, value, score_mod=score_mod, scale=scale)


class DynamicMaskAttention(torch.nn.Module):
    def __init__(self, dim=32, heads=2, keep_window_size=4):
        super().__init__()
        self.heads = heads
        self.keep_window_size = keep_window_size
        self.qkv = torch.nn.Linear(dim, 3 * dim, bias=False)
        self.dt_proj = torch.nn.Linear(dim, heads)
        self.o_proj = torch.nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        dt = self.dt_proj(x).transpose(1, 2)  # (b, h, n)
        zoh = dt[:, :, None, :].expand(b, self.heads, n, n).contiguous()
        mask = build_topk_causal_mask(zoh, self.keep_window_size)
        out = flex_dynamic_mask_attention(q, k, v, mask, zoh)
        return self.o_proj(out.transpose(1, 2).reshape(b, n, d))
