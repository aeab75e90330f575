"""Left-padded batches whose key mask is built from where each sequence starts, `width - length`:
positions below it are padding.  Used the wrong way round: a padding mask (True at the left pads)
given to SDPA as its keep mask, and a keep mask given to masked_fill as the positions to hide."""
import math

import torch
import torch.nn.functional as F


def left_padded_batch(prompts, pad_id=0):
    width = max(len(p) for p in prompts)
    ids = torch.tensor([[pad_id] * (width - len(p)) + p for p in prompts])
    lengths = torch.tensor([len(p) for p in prompts])
    return ids, lengths, width


def sdpa_step(q, k, v, prompts):
    ids, lengths, width = left_padded_batch(prompts)
    pads = torch.arange(width)[None, :] < (width - lengths)[:, None]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pads[:, None, None, :])  # expect: ML102


def sdpa_step_prompts(q, k, v, prompts):
    width = max(len(p) for p in prompts)
    pads = torch.arange(width)[None] < torch.tensor([width - len(p) for p in prompts])[:, None]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pads[:, None, None, :])  # expect: ML102


def eager_step(q, k, v, seq_lens, max_len):
    real = torch.arange(max_len).unsqueeze(0) >= max_len - seq_lens.unsqueeze(1)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(real[:, None, None, :], float("-inf"))  # expect: ML101
    return scores.softmax(-1) @ v
