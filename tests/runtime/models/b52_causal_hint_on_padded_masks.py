"""Buggy: is_causal=True next to a mask that hides padding as well as the future, in a left-padded
sequential recommender (nn.TransformerEncoder, a 3-D per-head mask) and in a decoder block on
nn.MultiheadAttention: the training path runs a plain causal mask, so the padding is attended."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class Recommender(nn.Module):
    def __init__(self, items=30, d=16, heads=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(items, d, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d, heads, 32, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)

    def forward(self, seqs):
        L = seqs.size(1)
        hide = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)[None] | (seqs == 0)[:, None, :]
        hide = hide & ~torch.eye(L, dtype=torch.bool)[None]
        hide = hide.repeat_interleave(self.heads, dim=0)
        return self.encoder(self.emb(seqs), mask=hide, is_causal=True)  # expect: ML402


class Block(nn.Module):
    def __init__(self, d=16, heads=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.1, batch_first=True)

    def forward(self, x, pad):
        T = x.size(1)
        block = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)[None] | pad[:, None, :]
        block = block.repeat_interleave(self.attn.num_heads, dim=0)
        return self.attn(x, x, x, attn_mask=block, is_causal=True, need_weights=False)[0]  # expect: ML402


def run():
    torch.manual_seed(0)
    seqs = torch.tensor([[0, 0, 3, 4, 5], [1, 2, 3, 4, 5], [0, 7, 8, 9, 2]])
    rec = Recommender().train()
    loss = F.cross_entropy(rec(seqs)[:, :-1].reshape(-1, 16), seqs[:, 1:].reshape(-1))
    loss.backward()
    blk = Block().train()
    x = torch.randn(3, 5, 16)
    out = blk(x, seqs == 0)
    out.sum().backward()
    return loss.detach(), out.detach()
