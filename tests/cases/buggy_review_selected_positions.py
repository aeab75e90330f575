import torch
import torch.nn as nn
import torch.nn.functional as F


class Selectors(nn.Module):
    def __init__(self, d=64, h=4, k=8):
        super().__init__()
        self.k, self.h = k, h
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def method_kw(self, x, s):
        idx = s.topk(self.k, 1).indices
        kept = torch.zeros(x.shape[:2], dtype=torch.bool).scatter_(dim=1, index=idx, value=True)
        return self.mha(x, x, x, key_padding_mask=kept)[0]  # expect: ML101

    def function_form(self, x, s):
        idx = s.topk(self.k, 1).indices
        kept = torch.scatter(torch.zeros(x.shape[:2], dtype=torch.bool), 1, idx, True)
        return self.mha(x, x, x, key_padding_mask=kept)[0]  # expect: ML101

    def new_zeros(self, x, s):
        idx = s.topk(self.k, 1).indices
        kept = s.new_zeros(s.shape, dtype=torch.bool)
        kept.scatter_(1, idx, True)
        return self.mha(x, x, x, key_padding_mask=kept)[0]  # expect: ML101

    def fancy_index(self, x, s):
        B = x.size(0)
        idx = s.topk(self.k, 1).indices
        kept = torch.zeros(x.shape[:2], dtype=torch.bool)
        kept[torch.arange(B)[:, None], idx] = True
        return self.mha(x, x, x, key_padding_mask=kept)[0]  # expect: ML101

    def control(self, x, s):
        idx = s.topk(self.k, 1).indices
        kept = torch.zeros(x.shape[:2], dtype=torch.bool).scatter_(1, idx, True)
        return self.mha(x, x, x, key_padding_mask=kept)[0]  # expect: ML101


def union_to_sdpa(q, k, v, attention_mask):
    L = q.size(-2)
    future = 1 - torch.tril(torch.ones(L, L, dtype=torch.long))
    pad = (1 - attention_mask)[:, None, :]
    hidden = torch.clamp(future[None] + pad, max=1).bool()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hidden[:, None])  # expect: ML102


def union_to_sdpa_method(q, k, v, attention_mask):
    L = q.size(-2)
    future = 1 - torch.tril(torch.ones(L, L, dtype=torch.long))
    pad = (1 - attention_mask)[:, None, :]
    hidden = (future[None] + pad).clamp(max=1).bool()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hidden[:, None])  # expect: ML102
