import torch
import torch.nn as nn


class GraphLayer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, adj):
        blocked = adj == 0
        blocked = torch.tile(blocked, (self.heads, 1, 1))
        return self.mha(x, x, x, attn_mask=blocked)[0]  # expect: ML302
