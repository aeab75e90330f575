"""FlexAttention mask_mods with extra arguments bound by functools.partial (by keyword, and
positionally from the first parameter), and built by a factory closure."""
from functools import partial

import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def document_causal(b, h, q_idx, kv_idx, doc_ids):
    return (doc_ids[b, q_idx] == doc_ids[b, kv_idx]) & (q_idx < kv_idx)


def local_window(window, b, h, q_idx, kv_idx):
    return (q_idx - kv_idx > window) | (kv_idx > q_idx)


def make_prefix_mod(prefix_len):
    def prefix_mod(b, h, q_idx, kv_idx):
        return (kv_idx <= q_idx) | (kv_idx < prefix_len)
    return prefix_mod


def packed(q, k, v, doc_ids):
    n, _, t, _ = q.shape
    bm = create_block_mask(partial(document_causal, doc_ids=doc_ids), n, None, t, t, device="cpu")  # expect: ML102
    return flex_attention(q, k, v, block_mask=bm)


def windowed(q, k, v):
    t = q.shape[2]
    bm = create_block_mask(partial(local_window, 16), None, None, t, t, device="cpu")  # expect: ML102
    return flex_attention(q, k, v, block_mask=bm)


def prefix(q, k, v):
    t = q.shape[2]
    bm = create_block_mask(make_prefix_mod(4), None, None, t, t, device="cpu")
    return flex_attention(q, k, v, block_mask=bm)


def make_sliding_mod(window):
    def sliding(b, h, q_idx, kv_idx):
        return (kv_idx > q_idx) | (q_idx - kv_idx >= window)
    return sliding


def sliding(q, k, v):
    t = q.shape[2]
    bm = create_block_mask(make_sliding_mod(8), None, None, t, t, device="cpu")  # expect: ML102
    return flex_attention(q, k, v, block_mask=bm)
