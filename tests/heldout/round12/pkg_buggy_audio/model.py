import torch
from torch import nn

from .layers import StreamingBlock
from .masks import streaming_mask


class TurnDetector(nn.Module):
    def __init__(self, n_mels: int = 40, dim: int = 32, heads: int = 4, depth: int = 2, chunk: int = 4):
        super().__init__()
        self.chunk = chunk
        self.inp = nn.Linear(n_mels, dim)
        self.blocks = nn.Sequential(*[StreamingBlock(dim, heads) for _ in range(depth)])
        self.out = nn.Linear(dim, 1)

    def forward(self, mels: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        mask = streaming_mask(lengths, mels.size(1), self.chunk)
        h = self.inp(mels)
        for blk in self.blocks:
            h = blk(h, mask)
        return self.out(h).squeeze(-1)          # per-frame change logit


def main():
    torch.manual_seed(0)
    model = TurnDetector()
    mels = torch.randn(3, 12, 40)
    lengths = torch.tensor([12, 7, 9])
    target = torch.zeros(3, 12)
    target[0, 5] = target[2, 3] = 1.0
    valid = torch.arange(12)[None] < lengths[:, None]
    loss = nn.functional.binary_cross_entropy_with_logits(model(mels, lengths)[valid], target[valid])
    loss.backward()
    print("bce", round(loss.item(), 4))
