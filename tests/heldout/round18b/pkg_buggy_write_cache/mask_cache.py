import torch


class StepMaskCache:
    """Precomputed square step masks, sliced per call."""

    def __init__(self, max_steps):
        self._mask = torch.empty(max_steps, max_steps, dtype=torch.bool)
        self._mask.fill_(True)
        self._mask.tril_()

    def __call__(self, n, device=None):
        return self._mask[:n, :n].to(device)


def history_padding(n_valid, width, device=None):
    pad = torch.zeros(len(n_valid), width, dtype=torch.bool, device=device)
    for i, n in enumerate(n_valid):
        pad[i, n:] = True
    return pad
