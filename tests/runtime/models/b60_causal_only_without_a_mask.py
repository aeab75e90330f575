"""Buggy: a GPT-style block that runs SDPA with is_causal=True when no mask is given and, when a
padding mask is given, with that mask alone: padded batches train on the future."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class Block(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        p = 0.1 if self.training else 0.0
        if attention_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        else:
            keep = attention_mask[:, None, None, :].bool()
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=p)  # expect: ML401
        return self.out(y.transpose(1, 2).reshape(b, t, d))


def run():
    torch.manual_seed(0)
    blk = Block().train()
    x = torch.randn(2, 6, 16)
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])
    out = blk(x, mask)
    out.pow(2).mean().backward()
    with torch.no_grad():
        ev = blk.eval()(x, mask)
    return out.detach(), ev
