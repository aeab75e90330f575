"""Buggy: per-sample (N, L, S) masks given to SDPA with N == num_heads, built from padded segments
joined along the keys (image regions then text, as vision-language fusion does) and as a pairwise
(query real and key real) mask: SDPA broadcasts a 3-D mask as (1, N, L, S), so head h of every
sample uses sample h's padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class Fusion(nn.Module):
    def __init__(self, d=18, heads=3):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)

    def forward(self, text, regions, text_keep, region_keep, pairwise=False):
        B, L, D = text.shape
        ctx = torch.cat([regions, text], 1)
        S = ctx.size(1)
        q = self.q(text).view(B, L, self.h, -1).transpose(1, 2)
        k, v = self.kv(ctx).view(B, S, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        keys = torch.cat([region_keep, text_keep], 1)
        if pairwise:
            mask = text_keep[:, :, None] & keys[:, None, :]
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML301
        else:
            mask = keys[:, None, :].expand(-1, L, -1)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML301
        return y.transpose(1, 2).reshape(B, L, D)


def run():
    torch.manual_seed(0)
    text, regions = torch.randn(3, 4, 18), torch.randn(3, 5, 18)
    text_keep = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]], dtype=torch.bool)
    region_keep = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], dtype=torch.bool)
    m = Fusion()
    outs = [m(text, regions, text_keep, region_keep, pw) for pw in (False, True)]
    sum(o.sum() for o in outs).backward()
    return tuple(o.detach() for o in outs)
