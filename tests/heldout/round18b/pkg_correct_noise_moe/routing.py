import torch
import torch.nn as nn


class ExpertChoiceRouter(nn.Module):
    """Each expert picks its top-`capacity` tokens; dispatch masks are built with scatter_."""

    def __init__(self, d_model, n_experts, capacity_factor=1.0):
        super().__init__()
        self.n_experts = n_experts
        self.capacity_factor = capacity_factor
        self.w_gate = nn.Linear(d_model, n_experts, bias=False)

    def forward(self, tokens):
        n_tokens = tokens.size(0)
        capacity = max(1, int(self.capacity_factor * n_tokens / self.n_experts))
        affinity = self.w_gate(tokens).softmax(dim=-1)
        gate, index = affinity.t().topk(capacity, dim=-1)
        dispatch = torch.zeros(self.n_experts, n_tokens, device=tokens.device)
        dispatch.scatter_(1, index, 1.0)
        combine = affinity.t().masked_fill(~dispatch.bool(), 0.0)
        return dispatch, combine, index
