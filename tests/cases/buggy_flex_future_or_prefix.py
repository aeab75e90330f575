"""Prefix-LM and document mask_mods whose causal comparison is turned round: ORed with a prefix
or a same-document test, they still let every query see the tokens after it."""
import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def prefix_lm(prefix_len):
    def mask_mod(b, h, q_idx, kv_idx):
        in_prefix = kv_idx < prefix_len[b]
        return in_prefix | (q_idx <= kv_idx)
    return mask_mod


def packed(doc_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        return (kv_idx > q_idx) | (doc_ids[b, q_idx] == doc_ids[b, kv_idx])
    return mask_mod


IMAGE_TOKENS = 64


def image_prefix(b, h, q_idx, kv_idx):
    return (kv_idx < IMAGE_TOKENS) | (kv_idx >= q_idx)


def run_fixed_prefix(q, k, v):
    L = q.size(-2)
    return flex_attention(q, k, v, block_mask=create_block_mask(image_prefix, None, None, L, L))  # expect: ML102


def run(q, k, v, prefix_len, doc_ids):
    B, H, L, E = q.shape
    a = create_block_mask(prefix_lm(prefix_len), B, None, L, L)  # expect: ML102
    b = create_block_mask(packed(doc_ids), B, None, L, L)  # expect: ML102
    return flex_attention(q, k, v, block_mask=a) + flex_attention(q, k, v, block_mask=b)
