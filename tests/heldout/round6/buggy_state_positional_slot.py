"""Transformer-XL style layer: memory and the causal mask are kept on the module between calls."""
import torch
import torch.nn as nn


class RecurrentMemoryLayer(nn.Module):
    def __init__(self, dim=32, heads=4, mem_len=4):
        super().__init__()
        self.mem_len = mem_len
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.memory = None
        self.causal_mask = None

    def reset(self):
        self.memory = None

    def _prepare(self, T, device):
        M = 0 if self.memory is None else self.memory.size(1)
        q = torch.arange(T, device=device)[:, None] + M
        k = torch.arange(M + T, device=device)[None, :]
        self.causal_mask = k > q  # (T, M+T), True = future

    def forward(self, x):
        self._prepare(x.size(1), x.device)
        ctx = x if self.memory is None else torch.cat([self.memory, x], dim=1)
        out, _ = self.attn(
            x, ctx, ctx,
            self.causal_mask,  # expect: ML501
        )
        self.memory = ctx[:, -self.mem_len:].detach()
        return out


if __name__ == "__main__":
    layer = RecurrentMemoryLayer()
    try:
        layer(torch.randn(2, 3, 32))
    except Exception as e:
        print(type(e).__name__, e)
