"""BUG: the decode step (one query over a left-padded cache) drops the mask; the mask is prepared before the if."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attn(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask, past=None):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        S = k.size(2)
        causal = torch.ones(s, S, dtype=torch.bool).tril(S - s)
        attn_mask = causal[None, None] & attention_mask[:, None, None, :].bool()
        if s > 1:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        else:
            out = F.scaled_dot_product_attention(q, k, v)  # expect: ML504
        return out.transpose(1, 2).reshape(b, s, d), (k, v)


def generate():
    prompts = [[5, 6, 7], [8, 9]]
    L = max(len(p) for p in prompts)
    ids = torch.zeros(2, L, dtype=torch.long)
    mask = torch.zeros(2, L, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, L - len(p):] = torch.tensor(p)
        mask[i, L - len(p):] = 1
    emb = nn.Embedding(10, 16, padding_idx=0)
    attn = Attn(16, 2)
    h, past = attn(emb(ids), mask)
    mask = torch.cat([mask, torch.ones(2, 1, dtype=torch.long)], 1)
    h2, past = attn(emb(ids[:, -1:]), mask, past)
    return h2
