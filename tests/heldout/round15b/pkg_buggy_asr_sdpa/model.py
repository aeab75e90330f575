import torch.nn as nn

from .layers import ConformerLiteBlock
from .masks import streaming_attention_mask


class StreamingASR(nn.Module):
    def __init__(self, n_mels=40, dim=32, heads=4, depth=2, vocab=30):
        super().__init__()
        self.front = nn.Linear(n_mels, dim)
        self.blocks = nn.ModuleList(ConformerLiteBlock(dim, heads) for _ in range(depth))
        self.ctc_head = nn.Linear(dim, vocab)

    def forward(self, feats, lengths):
        x = self.front(feats)
        mask = streaming_attention_mask(lengths, feats.size(1))
        for blk in self.blocks:
            x = blk(x, mask)
        return self.ctc_head(x).log_softmax(-1)
