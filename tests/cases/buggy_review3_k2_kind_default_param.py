import torch
import torch.nn.functional as F


def causal_keep(L, device):
    return torch.ones(L, L, dtype=torch.bool, device=device).tril()


def sliding_keep(L, device, window=64):
    i = torch.arange(L, device=device)
    rel = i[None, :] - i[:, None]
    return (rel <= 0) & (rel > -window)


MASKS = {"causal": causal_keep, "sliding": sliding_keep}


def attend(q, k, v, kind: str = "causal"):
    L = q.size(-2)
    keep = MASKS[kind](L, q.device)
    if kind == "sliding":
        q = q * 1.0
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~keep)  # expect: ML102
