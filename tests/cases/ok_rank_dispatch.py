"""The same helper given a bool window mask."""
import torch
import torch.nn.functional as F


def sliding_window_mask(attention_mask, window):
    n = attention_mask.shape[-1]
    idx = torch.arange(n)
    keep = (idx[None, :] <= idx[:, None]) & (idx[:, None] - idx[None, :] < window)
    return keep[None, None] & attention_mask[:, None, None, :].bool()


def prepare_for_sdpa(mask):
    if mask.dim() == 4:
        return mask  # already in its final form
    return None


def attend(q, k, v):
    attention_mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
    mask = prepare_for_sdpa(sliding_window_mask(attention_mask, 2))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def early_return(q, k, v, attention_mask):
    """A return on a path taken for sure ends the call: the int mask after it is never passed."""
    if attention_mask.dim() == 2:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask[:, None, None, :].bool())
    return F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask.long())


def run_early(q, k, v):
    return early_return(q, k, v, torch.tensor([[1, 1, 0]]))
