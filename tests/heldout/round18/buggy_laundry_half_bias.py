"""Cycle-end predictor for a chain of connected laundromats.

Each machine streams cycle events (door lock, fill, agitate, spin, drain,
error code, coin/card payment). The app predicts the remaining minutes of the
current cycle. Serving batches are left-padded so the latest event of every
machine sits in the last column, and the model runs in float16 on the
edge gateway.
"""
import torch
import torch.nn as nn

EVENTS = ("<pad>", "pay", "lock", "fill", "wash", "rinse", "spin", "drain", "dry", "cooldown", "error", "unlock")


def attention_bias(valid: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """valid: (B, T) bool, left padded. Returns an additive (B, 1, T, T) bias."""
    T = valid.size(1)
    causal = torch.ones(T, T, dtype=torch.bool, device=valid.device).tril()
    allowed = causal[None] & valid[:, None, :]
    return ((1.0 - allowed.to(dtype)) * -1e9)[:, None]  # BUG: -1e9 becomes -inf in float16; padded query rows turn to NaN


class Attn(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, bias):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        s = (q @ k.transpose(-1, -2)) * (D // self.h) ** -0.5 + bias
        return self.o((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D))


class CycleEndModel(nn.Module):
    def __init__(self, d=32, h=4, depth=2):
        super().__init__()
        self.event = nn.Embedding(len(EVENTS), d, padding_idx=0)
        self.dt = nn.Linear(1, d)
        self.attn = nn.ModuleList(Attn(d, h) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.out = nn.Linear(d, 1)

    def forward(self, events, minutes_since_start):
        valid = events != 0
        x = self.event(events) + self.dt(minutes_since_start.unsqueeze(-1).to(self.dt.weight.dtype))
        bias = attention_bias(valid, x.dtype)
        for norm, attn in zip(self.norm, self.attn):
            x = x + attn(norm(x), bias)
        return nn.functional.softplus(self.out(x[:, -1])).squeeze(-1)


@torch.no_grad()
def serve(model, events, minutes, half=True):
    model = model.eval()
    if half:
        model = model.half()
        minutes = minutes.half()
    return model(events, minutes).float()


if __name__ == "__main__":
    torch.manual_seed(0)
    events = torch.tensor([[0, 0, 0, 1, 2, 3, 4], [1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 1, 2]])
    minutes = torch.cumsum(torch.rand(3, 7) * 5, dim=1)
    model = CycleEndModel()
    print(serve(model, events, minutes, half=False))
