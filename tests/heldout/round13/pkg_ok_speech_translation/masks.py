import torch


def lengths_to_padding(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """True = padding, shape (N, max_len), i.e. the nn.Transformer key_padding_mask convention."""
    return torch.arange(max_len, device=lengths.device).unsqueeze(0) >= lengths.unsqueeze(1)


def decoder_masks(tgt_tokens: torch.Tensor, pad_id: int):
    L = tgt_tokens.size(1)
    causal = torch.ones(L, L, dtype=torch.bool, device=tgt_tokens.device).triu(1)
    return causal, tgt_tokens.eq(pad_id)
