import torch


def stream_windows(token_stream: torch.Tensor, ctx: int, stride: int):
    """Cut a 1-D token stream into (n, ctx + 1) windows: every window is full, there is no padding."""
    starts = range(0, token_stream.numel() - ctx - 1, stride)
    return torch.stack([token_stream[s : s + ctx + 1] for s in starts])
