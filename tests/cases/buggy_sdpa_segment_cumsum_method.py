"""Sentence ids as ``(ids == sep).long().cumsum(-1)``; the pairwise comparison ``!=`` is True
across sentences (the pairs to hide), handed to SDPA, which attends where True."""
import torch
import torch.nn.functional as F


class SentenceLocalAttention(torch.nn.Module):
    def __init__(self, dim=32, heads=4, sep_id=2):
        super().__init__()
        self.heads, self.sep_id = heads, sep_id
        self.qkv = torch.nn.Linear(dim, 3 * dim)

    def forward(self, x, ids):
        b, n, d = x.shape
        sent = (ids == self.sep_id).long().cumsum(-1)
        other_sentence = sent[:, :, None] != sent[:, None, :]
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=other_sentence[:, None])  # expect: ML102
        return y.transpose(1, 2).reshape(b, n, d)
