"""Next-packet model for network flows; the per-packet surprise is used as an
intrusion score.  A flow is a sequence of packet descriptors
(direction, size bucket, TCP flags, inter-arrival bucket).
"""
from functools import cached_property

import torch
import torch.nn.functional as F
from torch import nn

SIZE_BUCKETS, FLAG_SETS, IAT_BUCKETS = 16, 32, 12


class FlowWindow:
    """Geometry of the attention window, shared by every layer of a model."""

    def __init__(self, max_packets: int):
        self.max_packets = max_packets

    @cached_property
    def lookahead(self) -> torch.Tensor:
        return torch.ones(self.max_packets, self.max_packets, dtype=torch.bool).triu()

    def mask(self, n: int) -> torch.Tensor:
        return self.lookahead[:n, :n]


class PacketLM(nn.Module):
    def __init__(self, window: FlowWindow, dim=32, heads=4, depth=2):
        super().__init__()
        self.window = window
        self.direction = nn.Embedding(2, dim)
        self.size = nn.Embedding(SIZE_BUCKETS, dim)
        self.flags = nn.Embedding(FLAG_SETS, dim)
        self.iat = nn.Embedding(IAT_BUCKETS, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.next_size = nn.Linear(dim, SIZE_BUCKETS)

    def forward(self, pkts):
        """pkts (B, T, 4) long -> logits over the next packet's size bucket."""
        x = self.direction(pkts[..., 0]) + self.size(pkts[..., 1]) + self.flags(pkts[..., 2]) + self.iat(pkts[..., 3])
        mask = self.window.mask(pkts.size(1))
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=mask)[0]  # expect: ML404
        return self.next_size(x)


def surprise(model, pkts):
    logits = model(pkts[:, :-1])
    nll = F.cross_entropy(logits.transpose(1, 2), pkts[:, 1:, 1], reduction="none")
    return nll                                        # (B, T-1) per-packet anomaly score


if __name__ == "__main__":
    torch.manual_seed(0)
    B_, T = 3, 20
    pkts = torch.stack([torch.randint(0, 2, (B_, T)), torch.randint(0, SIZE_BUCKETS, (B_, T)),
                        torch.randint(0, FLAG_SETS, (B_, T)), torch.randint(0, IAT_BUCKETS, (B_, T))], dim=-1)
    model = PacketLM(FlowWindow(max_packets=512))
    scores = surprise(model, pkts)
    scores.mean().backward()
    print("mean surprise", scores.mean().item(), "| max per flow", scores.amax(1).tolist())
