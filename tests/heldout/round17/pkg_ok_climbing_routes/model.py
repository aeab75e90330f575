import torch
import torch.nn as nn

from .layers import HoldAttention
from .masks import reach_window

GRADES = tuple(f"V{i}" for i in range(15))
HOLD_ROLES = ("start", "hand", "foot", "finish")


class RouteGrader(nn.Module):
    def __init__(self, board_cols=11, board_rows=18, dim=64, heads=4, depth=3, reach=4):
        super().__init__()
        self.reach = reach
        self.col = nn.Embedding(board_cols, dim)
        self.row = nn.Embedding(board_rows, dim)
        self.role = nn.Embedding(len(HOLD_ROLES), dim)
        self.layers = nn.ModuleList(HoldAttention(dim, heads) for _ in range(depth))
        self.grade = nn.Linear(dim, len(GRADES))

    def forward(self, col, row, role):
        # holds sorted bottom-to-top, as a climber meets them
        x = self.col(col) + self.row(row) + self.role(role)
        window = reach_window(col.size(1), self.reach, col.device)
        for layer in self.layers:
            x = layer(x, window)
        return self.grade(x.mean(1))
