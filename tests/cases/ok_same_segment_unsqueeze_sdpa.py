import torch
import torch.nn.functional as F


def utterance_attention(q, k, v, segment_ids):
    same = segment_ids.unsqueeze(-1) == segment_ids.unsqueeze(-2)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=same.unsqueeze(1))


def packed_row(q, k, v, doc_of_position):
    # one packed row: doc_of_position is (L,), the mask (L, L) broadcasts over batch and heads
    same_doc = doc_of_position.unsqueeze(1) == doc_of_position.unsqueeze(0)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=same_doc)
