"""Queue-length nowcaster for an automatic car wash with several bays.

Minute-level events (arrivals at the pay station, bay start/stop, vacuum use,
membership scans) are embedded and processed with sliding-window causal
attention via FlexAttention, so each minute sees only the last half hour.
"""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

WINDOW_MINUTES = 30


def causal_window(b, h, q_idx, kv_idx):
    return (q_idx >= kv_idx) & (q_idx - kv_idx < WINDOW_MINUTES)


class WindowAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, block_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return self.out(flex_attention(q, k, v, block_mask=block_mask).transpose(1, 2).reshape(B, T, D))


class WashQueueNowcaster(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Linear(5, dim)
        self.layers = nn.ModuleList(WindowAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, 1)
        self._block_masks = {}

    def _mask(self, T, device):
        if T not in self._block_masks:
            self._block_masks[T] = create_block_mask(causal_window, B=None, H=None, Q_LEN=T, KV_LEN=T, device=device)
        return self._block_masks[T]

    def forward(self, events):
        x = self.embed(events)
        bm = self._mask(x.size(1), x.device)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), bm)
        return nn.functional.softplus(self.head(x)).squeeze(-1)


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    model = WashQueueNowcaster()
    with torch.no_grad():  # CPU FlexAttention has no backward; the trainer runs on GPU
        print(model(torch.randn(2, 96, 5)).shape)
