"""Mask helpers mirroring the usual ``get_extended_attention_mask`` contract."""
import torch


def get_extended_attention_mask(attention_mask, dtype):
    """(batch, seq) with 1 = real token  ->  (batch, 1, 1, seq) additive, 0 / finfo.min."""
    extended = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - extended) * torch.finfo(dtype).min


def invert_attention_mask(encoder_attention_mask, dtype):
    if encoder_attention_mask.dim() == 3:
        extended = encoder_attention_mask[:, None, :, :]
    else:
        extended = encoder_attention_mask[:, None, None, :]
    return (1.0 - extended.to(dtype)) * torch.finfo(dtype).min


def get_head_mask(head_mask, num_layers):
    if head_mask is None:
        return [None] * num_layers
    return [head_mask[i] for i in range(num_layers)]


def create_position_ids_from_input_ids(input_ids, padding_idx, past_key_values_length=0):
    mask = input_ids.ne(padding_idx).int()
    incremental = (torch.cumsum(mask, dim=1).type_as(mask) + past_key_values_length) * mask
    return incremental.long() + padding_idx


def num_parameters(module, exclude_embeddings=False):
    params = [p for n, p in module.named_parameters() if not (exclude_embeddings and "embeddings" in n)]
    return sum(p.numel() for p in params)
