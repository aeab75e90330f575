"""Predicts slack on timing paths of an FPGA netlist; cells along a path are a left-padded sequence.
Inference runs in half precision."""
import torch
import torch.nn as nn

CELL_TYPES = ["<pad>", "LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6", "FDRE", "CARRY4", "MUXF7", "DSP48", "BRAM"]


class PathAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, visible):
        b, t, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5
        scores = scores.masked_fill(~visible, torch.finfo(scores.dtype).min)
        return self.out((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class SlackModel(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_len=64):
        super().__init__()
        self.cell = nn.Embedding(len(CELL_TYPES), d, padding_idx=0)
        self.delay = nn.Linear(2, d)  # cell delay, net delay (ns)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList(PathAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.slack = nn.Linear(d, 1)

    def forward(self, cells, delays):
        t = cells.size(1)
        real = cells.ne(0)
        pos = (real.cumsum(-1) - 1).clamp_min(0)
        x = self.cell(cells) + self.delay(delays) + self.pos(pos)
        order = torch.ones(t, t, dtype=torch.bool, device=cells.device).tril()
        visible = (order[None] & real[:, None, :]).unsqueeze(1)
        for norm, blk in zip(self.norms, self.blocks):
            x = x + blk(norm(x), visible)
        return self.slack(x[:, -1]).squeeze(-1)


if __name__ == "__main__":
    net = SlackModel().half().eval()
    cells = torch.tensor([[0, 0, 0, 7, 3, 6, 7], [7, 4, 4, 8, 8, 6, 7]])
    delays = torch.rand(2, 7, 2).half()
    with torch.no_grad():
        print(net(cells, delays))
