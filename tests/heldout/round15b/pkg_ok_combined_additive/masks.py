import torch


def causal_bias(n, device=None):
    keep = torch.ones(n, n, dtype=torch.bool, device=device).tril()
    return torch.where(keep, 0.0, float("-inf"))


def padding_bias(lengths, n):
    valid = torch.arange(n, device=lengths.device)[None, :] < lengths[:, None]
    return torch.zeros(valid.shape, device=lengths.device).masked_fill(~valid, float("-inf"))


def attention_bias(lengths, n, num_heads):
    bias = torch.minimum(causal_bias(n, lengths.device)[None], padding_bias(lengths, n)[:, None, :])
    return bias.repeat_interleave(num_heads, dim=0)
