"""Trajectory encoder with an agent-interaction mask per scene (N, A, A)."""
import torch
import torch.nn as nn


class AgentInteraction(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.self_attn = nn.MultiheadAttention(dim, heads)  # sequence-first: (A, N, E)

    def forward(self, agents, far_apart):
        # agents: (A, N, E); far_apart: (N, A, A) bool, True = too far to interact
        eye = torch.eye(far_apart.size(-1), dtype=torch.bool, device=far_apart.device)
        blocked = far_apart & ~eye
        stacked = torch.cat([blocked] * self.heads, dim=0)
        out, _ = self.self_attn(agents, agents, agents, attn_mask=stacked)  # expect: ML302
        return agents + out
