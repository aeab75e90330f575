"""Per-sample (N, E, E) pair masks from a per-sample (N, E) mask whose cells a smoke run writes
one by one: what the cells are is not known, the shape is, and SDPA needs a head axis."""
import torch
import torch.nn.functional as F

SLOTS = 6


def pair_mask(present):
    both = present[:, None, :] & present[:, :, None]
    both = both.index_fill(2, torch.tensor([SLOTS - 1]), True)  # the last slot is always visible
    return both | torch.eye(SLOTS, dtype=torch.bool)


def attend(q, k, v, present):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pair_mask(present))  # expect: ML301


def attend_heads(q, k, v, present):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pair_mask(present).unsqueeze(1))


if __name__ == "__main__":
    batch = 4
    present = torch.ones(batch, SLOTS, dtype=torch.bool)
    present[1, 2] = present[3, 0] = False
    q = torch.randn(batch, 4, SLOTS, 8)
    attend_heads(q, q, q, present)
    masks = present[:, None, :] & present[:, :, None]
    F.scaled_dot_product_attention(q, q, q, attn_mask=masks)  # expect: ML301
    F.scaled_dot_product_attention(q, q, q, attn_mask=masks[:, None])
    attend(q, q, q, present)
