import torch
import torch.nn as nn


class SetEncoder(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, lengths):
        n = x.size(1)
        valid = torch.arange(n)[None, :] < lengths[:, None]
        pair_block = ~(valid[:, :, None] & valid[:, None, :])
        stacked = pair_block.repeat((self.heads, 1, 1))
        return self.attn(x, x, x, attn_mask=stacked)[0]  # expect: ML302
