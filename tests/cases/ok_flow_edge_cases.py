"""Correct code the flow edge cases must stay silent on."""
import torch
import torch.nn.functional as F
from torch import nn
from flash_attn_interface import flash_attn_func


class LocalWindow(nn.Module):
    """A causal sliding window written into a zero buffer, cell by cell."""

    def __init__(self, max_len=64, window=8):
        super().__init__()
        self.register_buffer("allowed", torch.zeros(max_len, max_len, dtype=torch.bool))
        for i in range(max_len):
            self.allowed[i, max(0, i - window): i + 1] = True

    def forward(self, q, k, v):
        T = q.size(-2)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=self.allowed[:T, :T])


def block_diagonal(q, k, v, doc_ids):
    L = q.size(-2)
    allowed = torch.zeros(L, L, dtype=torch.bool, device=q.device)
    allowed.masked_fill_(doc_ids[:, None] == doc_ids[None, :], True)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)


def packed_documents(q, k, v, doc_ids):
    """doc_ids: (N, L); the causal (L, L) mask broadcast with a per-sample (N, L, L) test."""
    L = q.size(-2)
    causal = torch.tril(torch.ones(L, L, dtype=torch.bool, device=q.device))
    keep = causal & (doc_ids[:, :, None] == doc_ids[:, None, :])
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None])


class TinyGPT(nn.Module):
    """flash-attn 3 takes (q, k, v, softmax_scale, causal, ...): positions differ from flash-attn 2."""

    def __init__(self, vocab=100, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.lm_head = nn.Linear(dim, vocab)

    def forward(self, idx):
        B, T = idx.shape
        q, k, v = self.qkv(self.emb(idx)).view(B, T, 3, self.heads, -1).unbind(2)
        y = flash_attn_func(q, k, v, None, True)
        return self.lm_head(y.reshape(B, T, -1))
