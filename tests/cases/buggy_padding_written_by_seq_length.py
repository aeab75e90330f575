import torch
import torch.nn as nn
import torch.nn.functional as F


def collate(seqs, dim):
    n, s = len(seqs), max(len(x) for x in seqs)
    feats = torch.zeros(n, s, dim)
    is_pad = torch.zeros(n, s, dtype=torch.bool)
    for i, seq in enumerate(seqs):
        feats[i, : len(seq)] = seq
        is_pad[i, len(seq):] = True
    return feats, is_pad


def pool_attend(q, k, v, seqs):
    _, is_pad = collate(seqs, k.size(-1))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=is_pad[:, None, None, :])  # expect: ML102


class StrokeEncoder(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, 2)

    def forward(self, strokes):
        s, n = max(t.size(0) for t in strokes), len(strokes)
        x = torch.zeros(s, n, 16)
        blocked = torch.ones(s, n, dtype=torch.bool)
        for j, t in enumerate(strokes):
            x[: t.size(0), j] = t
            blocked[: t.size(0), j] = False
        return self.mha(x, x, x, key_padding_mask=blocked)[0]  # expect: ML304
