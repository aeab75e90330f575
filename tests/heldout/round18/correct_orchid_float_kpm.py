"""Next care-task predictor for an orchid collection (Phalaenopsis, Cattleya, ...).

Journal entries (task, days since previous entry, season) are padded with the
PAD task. The padding mask is passed as an additive float mask so it matches
the float ALiBi-style recency bias used in the same attention call.
"""
import torch
import torch.nn as nn

TASKS = ["<pad>", "water", "mist", "fertilise", "repot", "cut_spike", "stake", "inspect_roots", "rest"]
PAD = 0


class JournalAttention(nn.Module):
    def __init__(self, d=32, heads=4, slope=0.05):
        super().__init__()
        self.heads = heads
        self.slope = slope
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, tasks, day_index):
        B, T, _ = x.shape
        # recency bias: older entries are down-weighted in proportion to the day gap
        gap = (day_index[:, :, None] - day_index[:, None, :]).abs().float()
        recency = (-self.slope * gap).repeat_interleave(self.heads, dim=0)       # (B*H, T, T)
        ignore = torch.zeros(B, T, dtype=x.dtype, device=x.device).masked_fill(tasks == PAD, float("-inf"))
        out, _ = self.attn(x, x, x, key_padding_mask=ignore, attn_mask=recency.to(x.dtype))
        return out


class OrchidCareModel(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.task = nn.Embedding(len(TASKS), d, padding_idx=PAD)
        self.season = nn.Embedding(4, d)
        self.attn = JournalAttention(d)
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, len(TASKS))

    def forward(self, tasks, season, day_index):
        x = self.task(tasks) + self.season(season)
        x = self.norm(x + self.attn(x, tasks, day_index))
        last = (tasks != PAD).sum(1) - 1
        return self.out(x[torch.arange(x.size(0)), last])


if __name__ == "__main__":
    torch.manual_seed(0)
    tasks = torch.tensor([[1, 2, 1, 3, 1, 0, 0], [4, 1, 1, 1, 7, 1, 5]])
    day_index = torch.cumsum(torch.randint(1, 10, (2, 7)), dim=1)
    model = OrchidCareModel()
    print([TASKS[i] for i in model(tasks, torch.randint(0, 4, (2, 7)), day_index).argmax(-1)])
