import torch
from torch import nn

from .encoder import EncoderLayer
from .tokens import PAD_ID, padding_mask


class CrossEncoderReranker(nn.Module):
    def __init__(self, vocab_size=500, dim=64, heads=4, depth=2, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim, padding_idx=PAD_ID)
        self.pos = nn.Embedding(max_len, dim)
        self.layers = nn.ModuleList(EncoderLayer(dim, heads) for _ in range(depth))
        self.score = nn.Linear(dim, 1)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        mask = padding_mask(input_ids, PAD_ID)
        h = self.tok(input_ids) + self.pos.weight[: input_ids.size(1)]
        for layer in self.layers:
            h = layer(h, mask)
        return self.score(h[:, 0]).squeeze(-1)  # relevance from [CLS]
