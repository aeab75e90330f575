import torch
import torch.nn.functional as F


def prefix_lm_attention(q, k, v, prefix_len):
    """q, k, v: (B, H, L, D). Bidirectional over the prefix, causal after it."""
    L = q.size(-2)
    # True = masked (a later key)
    mask = torch.triu(torch.ones(L, L, dtype=torch.bool, device=q.device), diagonal=1)
    mask[:, :prefix_len].fill_(False)  # the prefix is visible to every query
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
