"""Buggy: an additive (B, T, T) padding bias (finfo.min at padded keys and padded queries' rows
left at 0) built in a collate function and passed to SDPA without a head dimension; batch 4 and
4 heads, so SDPA reads slice h as head h's mask for every sample."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


def collate(seqs, pad=0):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), pad)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
    real = ids != pad
    bias = torch.zeros(len(seqs), T, T)
    bias.masked_fill_(~real[:, None, :], torch.finfo(torch.float32).min)
    return ids, bias


class SelfAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, bias):
        B, T, C = x.shape
        q, k, v = self.qkv(x).reshape(B, T, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=0.1 if self.training else 0.0)  # expect: ML301
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


def run():
    torch.manual_seed(0)
    ids, bias = collate([[5, 6, 7, 8, 9, 4], [3, 4], [7, 8, 9, 2], [1, 2, 3]])
    emb = nn.Embedding(20, 32)
    attn = SelfAttention().train()
    out = attn(emb(ids), bias)
    out.sum().backward()
    attn.eval()
    with torch.no_grad():
        return (out.detach(), emb.weight.grad, attn(emb(ids), bias))
