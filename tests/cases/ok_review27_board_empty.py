"""Gomoku policy head: each query attends to the empty points of the board (the legal moves)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

EMPTY, BLACK, WHITE = 0, 1, 2


class MoveAttention(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.stone = nn.Embedding(3, dim)
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, board):
        x = self.stone(board.flatten(1))
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        legal = board.flatten(1) == EMPTY
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=legal[:, None, None, :])
        return out.transpose(1, 2).reshape(b, n, d)
