import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def sliding(window):
    def mod(b, h, q_idx, kv_idx):
        return (kv_idx >= q_idx) & (kv_idx - q_idx <= window)
    return mod


def attend(q, k, v, window=64):
    bm = create_block_mask(sliding(window), None, None, q.shape[-2], k.shape[-2], device="cpu")  # expect: ML102
    return flex_attention(q, k, v, block_mask=bm)
