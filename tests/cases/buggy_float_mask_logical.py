"""Float masks combined with & (ArcInstitute/state PR#213, P2-10): bitwise_and raises on float."""
import torch
import torch.nn.functional as F


def set_mask(cell_counts, max_cells):
    valid = (torch.arange(max_cells)[None, :] < cell_counts[:, None]).float()
    return valid[:, :, None] & valid[:, None, :]  # expect: ML202


def control_mask(cell_type, valid):
    s = cell_type.size(1)
    eye = torch.eye(s, device=cell_type.device).bool()
    both = (cell_type == 0)[:, None, :].float() | eye  # expect: ML202
    return both & valid[:, None, :]


def attend(q, k, v, counts):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=set_mask(counts, q.size(-2))[:, None])


def pair_attention(q, k, v, cell_mask):
    """cell_mask: (B, S) float, 1.0 = real cell, 0.0 = padding slot."""
    pair = cell_mask[:, :, None] & cell_mask[:, None, :]  # expect: ML202
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pair[:, None])
