"""Small tensor helpers for variable-length IMU windows."""
import torch


def lengths_to_mask(lengths, max_len=None):
    """(batch, max_len) bool mask from per-sample lengths."""
    max_len = int(max_len or lengths.max())
    steps = torch.arange(max_len, device=lengths.device)
    return steps[None, :] < lengths[:, None]


def future_mask(n, device=None):
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(1)


def masked_mean(x, valid):
    w = valid.unsqueeze(-1).to(x.dtype)
    return (x * w).sum(1) / w.sum(1).clamp(min=1.0)


def pad_windows(windows):
    n = max(w.size(0) for w in windows)
    out = windows[0].new_zeros(len(windows), n, windows[0].size(-1))
    for i, w in enumerate(windows):
        out[i, :w.size(0)] = w
    return out, torch.tensor([w.size(0) for w in windows])


def jitter(x, sigma=0.02, generator=None):
    return x + sigma * torch.randn(x.shape, generator=generator)
