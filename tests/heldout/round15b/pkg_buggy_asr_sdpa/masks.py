import torch


def frame_lengths_to_mask(lengths, max_len):
    return (torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]).float()


def streaming_attention_mask(lengths, max_len):
    future = 1 - torch.tril(torch.ones(max_len, max_len, device=lengths.device))
    padding = frame_lengths_to_mask(lengths, max_len)
    combined = (future[None] + padding[:, None, :]).clamp(max=1)
    return combined.bool()
