import torch


def padding_positions(input_ids: torch.Tensor, pad_token_id: int) -> torch.Tensor:
    """(B, 1, 1, S): True where the key is a padding token."""
    return input_ids.eq(pad_token_id)[:, None, None, :]


def pooling_weights(input_ids: torch.Tensor, pad_token_id: int) -> torch.Tensor:
    keep = input_ids.ne(pad_token_id).float()
    return keep / keep.sum(dim=1, keepdim=True)
