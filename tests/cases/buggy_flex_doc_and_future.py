import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

SEGMENTS = torch.zeros(256, dtype=torch.long)


def segment_causal(b, h, q_idx, kv_idx):
    same = SEGMENTS[q_idx] == SEGMENTS[kv_idx]
    return torch.logical_and(same, q_idx <= kv_idx)


def attend(q, k, v):
    bm = create_block_mask(segment_causal, B=None, H=None, Q_LEN=256, KV_LEN=256, device="cpu")  # expect: ML102
    return flex_attention(q, k, v, block_mask=bm)
