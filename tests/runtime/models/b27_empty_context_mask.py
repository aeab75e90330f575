"""Buggy: cross-attention whose context mask is all False for one sample (no context given): that
sample's queries have no key at all. P7-9 (x-transformers#263). Depends on the batch."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class CrossAttend(nn.Module):
    def __init__(self, E=8, H=2):
        super().__init__()
        self.h = H
        self.q = nn.Linear(E, E)
        self.kv = nn.Linear(E, 2 * E)

    def forward(self, x, context, context_mask):
        b, t, e = x.shape
        s = context.size(1)
        q = self.q(x).view(b, t, self.h, -1).transpose(1, 2)
        k, v = self.kv(context).view(b, s, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=context_mask[:, None, None, :])  # expect: ML602|ML601
        return out.transpose(1, 2).reshape(b, t, e)


def _setup():
    torch.manual_seed(0)
    context_mask = torch.tensor([[True, True, True, True], [False, False, False, False]])
    return CrossAttend().eval(), torch.randn(2, 5, 8), torch.randn(2, 4, 8), context_mask


def run():
    m, x, c, cm = _setup()
    with torch.no_grad():
        return (m(x, c, cm),)
