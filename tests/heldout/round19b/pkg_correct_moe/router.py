import torch
import torch.nn as nn
import torch.nn.functional as F


class TopKRouter(nn.Module):
    """Token-choice top-k routing with a per-expert capacity limit."""

    def __init__(self, dim: int, n_experts: int, k: int = 2, capacity_factor: float = 1.25):
        super().__init__()
        self.gate = nn.Linear(dim, n_experts, bias=False)
        self.n_experts = n_experts
        self.k = k
        self.capacity_factor = capacity_factor

    def forward(self, tokens: torch.Tensor, token_mask: torch.Tensor):
        # tokens (N, D), token_mask (N,) True for real tokens
        logits = self.gate(tokens).float()
        logits = logits.masked_fill(~token_mask[:, None], float("-inf"))
        probs = logits.softmax(-1).nan_to_num(0.0)
        top_p, top_i = probs.topk(self.k, dim=-1)

        dispatch = torch.zeros_like(probs, dtype=torch.bool)
        dispatch.scatter_(1, top_i, True)
        dispatch &= token_mask[:, None]

        capacity = int(self.capacity_factor * tokens.size(0) * self.k / self.n_experts) + 1
        position_in_expert = dispatch.long().cumsum(0) - 1
        dispatch &= position_in_expert < capacity

        combine = probs.masked_fill(~dispatch, 0.0)
        combine = combine / combine.sum(-1, keepdim=True).clamp(min=1e-9)
        aux_loss = self.n_experts * (dispatch.float().mean(0) * probs.mean(0)).sum()
        return dispatch, combine.to(tokens.dtype), aux_loss
