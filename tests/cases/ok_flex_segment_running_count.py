"""Segment ids from a running count of separators, causal within a segment: correct."""
import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def segments(tokens, sep_id):
    return torch.cumsum((tokens == sep_id).long(), dim=1)


def segment_mask(seg):
    def mod(b, h, q_idx, kv_idx):
        return (seg[b, q_idx] == seg[b, kv_idx]) & (kv_idx <= q_idx)
    return mod


def attend(q, k, v, tokens, sep_id=3):
    n = tokens.size(1)
    block = create_block_mask(segment_mask(segments(tokens, sep_id)), tokens.size(0), None, n, n)
    return flex_attention(q, k, v, block_mask=block)
