import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, n_mem: int):
        L = x.size(1)
        blocked = torch.ones(L, L, dtype=torch.bool, device=x.device).triu(1)  # True = blocked
        blocked[:n_mem].fill_(True)   # memory slots see nothing but themselves
        blocked[:n_mem].fill_diagonal_(False)
        return self.attn(x, x, x, attn_mask=~blocked)[0]  # expect: ML101
