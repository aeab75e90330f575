import torch


def document_causal_mask(doc_ids: torch.Tensor) -> torch.Tensor:
    """(B, L) document ids -> (B, L, L) boolean mask for scaled_dot_product_attention.

    Padding (doc id -1) forms its own "document", so every query row keeps at
    least its diagonal entry.
    """
    length = doc_ids.size(-1)
    same_doc = doc_ids[:, :, None] == doc_ids[:, None, :]
    causal = torch.ones(length, length, dtype=torch.bool, device=doc_ids.device).tril()
    return torch.logical_and(same_doc, causal)
