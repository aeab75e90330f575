"""Correct: the same block, causal on both paths (the mask given is combined with a causal mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "correct"


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
            causal = torch.ones(t, t, dtype=torch.bool).tril()
            keep = attention_mask[:, None, None, :].bool() & causal
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=p)
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
