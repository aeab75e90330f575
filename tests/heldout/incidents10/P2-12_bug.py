"""Dynamic-mask sparse attention reference written with FlexAttention.

A 1/0 keep mask (1 = attend) is folded into the score through score_mod;
the causal restriction is expected from the caller's mask."""
import warnings

import torch
from torch.nn.attention.flex_attention import flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")


def dynamic_mask_attention(query, key, value, attn_mask, is_causal=True):
    """attn_mask: [B, H, Q, K] float, 1.0 = keep, 0.0 = drop."""

    def score_mod(score, b, h, q_idx, kv_idx):
        return score + attn_mask[b, h, q_idx, kv_idx]  # BUG

    return flex_attention(query, key, value, score_mod=score_mod)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, H, S, D = 1, 2, 8, 16
    q, k, v = (torch.randn(B, H, S, D) for _ in range(3))
    keep = (torch.rand(B, H, S, S) > 0.3).float()
    keep[..., 0] = 1.0
    v2 = v.clone(); v2[:, :, -1] = torch.randn(B, H, D) * 5
    k2 = k.clone(); k2[:, :, -1] = torch.randn(B, H, D)
    a = dynamic_mask_attention(q, k, v, keep)
    b = dynamic_mask_attention(q, k2, v2, keep)
    print("prefix change when last key/value changes:", (a[:, :, :-1] - b[:, :, :-1]).abs().max().item())
