import torch
from torch.nn.attention.flex_attention import and_masks


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


def same_document(doc_ids: torch.Tensor):
    def mask_mod(b, h, q_idx, kv_idx):
        return doc_ids[b, q_idx] == doc_ids[b, kv_idx]
    return mask_mod


def packed_causal(doc_ids: torch.Tensor):
    return and_masks(causal, same_document(doc_ids))
