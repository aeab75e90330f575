import torch
import torch.nn.functional as F


def local_attention(q, k, v, window: int = 128):
    """Sliding-window causal attention. q, k, v: (B, H, L, D)."""
    L = q.shape[-2]
    blocked = torch.ones(L, L, dtype=torch.bool, device=q.device).triu(1)
    for i in range(L):
        blocked[i, : max(0, i - window)].fill_(True)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=blocked)  # expect: ML102
