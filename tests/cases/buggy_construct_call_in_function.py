"""A smoke test in the same file builds the block and runs it in eval mode."""
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, dim: int, n_head: int, block_size: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, n_head, batch_first=True)
        self.register_buffer("causal", torch.tril(torch.ones(block_size, block_size)))

    def forward(self, x):
        t = x.size(1)
        y, _ = self.attn(x, x, x, attn_mask=self.causal[:t, :t], need_weights=False)  # expect: ML202
        return x + y


def smoke():
    m = Block(32, 4, 16)
    m.eval()
    with torch.no_grad():
        return m(torch.randn(2, 8, 32))


if __name__ == "__main__":
    print(smoke().shape)
