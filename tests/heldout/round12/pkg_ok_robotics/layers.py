import torch
from torch import nn


class SocialLayer(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, agents: torch.Tensor, hidden: torch.Tensor) -> torch.Tensor:
        # (N, A, A) -> (N * heads, A, A); MHA indexes the stack as sample * heads + head
        per_head = hidden.repeat_interleave(self.heads, dim=0)
        mixed, _ = self.attn(agents, agents, agents, attn_mask=per_head, need_weights=False)
        agents = self.norm(agents + mixed)
        return agents + self.ff(agents)
