import torch


def causal_mask(n, device=None):
    return torch.triu(torch.ones(n, n, dtype=torch.bool, device=device), diagonal=1)


def schema_key_mask(schema_ids, pad_id=0):
    return (schema_ids != pad_id)[:, None, None, :]
