"""Fall detection from a wrist accelerometer: causal sliding-window attention (FlexAttention)."""
import torch
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

HISTORY = 16


def recent_past(b, h, q_idx, kv_idx):
    return (kv_idx <= q_idx) & (q_idx - kv_idx < HISTORY)


class FallDetector(nn.Module):
    def __init__(self, dim=32, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(3, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(layers))
        self.o = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.alarm = nn.Linear(dim, 1)

    def forward(self, accel):
        b, t, _ = accel.shape
        x = self.inp(accel)
        block_mask = create_block_mask(recent_past, None, None, t, t, device=accel.device)
        for qkv, o, ln in zip(self.qkv, self.o, self.ln):
            q, k, v = qkv(ln(x)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, block_mask=block_mask)
            x = x + o(y.transpose(1, 2).reshape(b, t, -1))
        return torch.sigmoid(self.alarm(x)).squeeze(-1)


@torch.no_grad()
def monitor(model, stream, threshold=0.9):
    model.eval()
    prob = model(stream)
    return (prob > threshold).nonzero().tolist()


if __name__ == "__main__":
    torch.manual_seed(0)
    stream = torch.randn(1, 200, 3) * 0.1
    stream[0, 120:125] += torch.tensor([0.0, 0.0, -3.0])
    print(monitor(FallDetector(), stream)[:5])
