import torch
import torch.nn.functional as F


def utterance_attention(q, k, v, segment_ids):
    same = segment_ids[:, :, None] == segment_ids[:, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=same)  # expect: ML301


def document_attention(q, k, v, doc_ids):
    same_doc = doc_ids.unsqueeze(2) == doc_ids.unsqueeze(1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=same_doc)  # expect: ML301
