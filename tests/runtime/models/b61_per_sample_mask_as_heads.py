"""Buggy: a same-utterance mask (N, L, L) built from segment ids handed to SDPA without a head
axis; with as many dialogues as heads it runs, and head i of every dialogue uses dialogue i's mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class SegmentAttention(nn.Module):
    def __init__(self, d=18, heads=3):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, segment_ids):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        same = segment_ids.unsqueeze(2) == segment_ids.unsqueeze(1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=same, dropout_p=0.1 if self.training else 0.0)  # expect: ML301
        return y.transpose(1, 2).reshape(b, n, d)


def run():
    torch.manual_seed(0)
    seg = torch.tensor([[0, 0, 1, 1, 1], [0, 1, 1, 2, 2], [0, 0, 0, 1, 1]])
    x = torch.randn(3, 5, 18)
    layer = SegmentAttention().train()
    out = layer(x, seg)
    out.pow(2).mean().backward()
    with torch.no_grad():
        ev = layer.eval()(x, seg)
    return out.detach(), ev
