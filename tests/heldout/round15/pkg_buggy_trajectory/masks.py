import torch


def timestep_causal_mask(n_steps: int, tokens_per_step: int, device=None) -> torch.Tensor:
    """Bool mask for nn.MultiheadAttention (True = may not attend).

    Tokens of one timestep see each other and every token of earlier timesteps.
    """
    step = torch.arange(n_steps * tokens_per_step, device=device) // tokens_per_step
    return step[None, :] > step[:, None]
