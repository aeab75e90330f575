"""Verse LM with line-local attention, written against FlexAttention.

A token sees the title (the first ``prefix_len`` tokens) and the tokens of
its own line; line ids come from the tokenizer's newline positions.
"""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def line_ids_from_tokens(tokens, newline_id):
    return torch.cumsum((tokens == newline_id).long(), dim=1)


def make_verse_mask(line_ids, prefix_len):
    def verse_mask(b, h, q_idx, kv_idx):
        same_line = line_ids[b, q_idx] == line_ids[b, kv_idx]
        in_title = kv_idx < prefix_len
        return (same_line | in_title) & (kv_idx >= q_idx)  # expect: ML102
    return verse_mask


class VerseAttention(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, block_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        return self.proj(y.transpose(1, 2).reshape(b, n, d))


class VerseLM(nn.Module):
    def __init__(self, vocab=300, dim=64, depth=2, newline_id=10, prefix_len=4):
        super().__init__()
        self.newline_id, self.prefix_len = newline_id, prefix_len
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(VerseAttention(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, tokens):
        b, n = tokens.shape
        mask_mod = make_verse_mask(line_ids_from_tokens(tokens, self.newline_id), self.prefix_len)
        block_mask = create_block_mask(mask_mod, b, None, n, n, device=str(tokens.device))
        x = self.emb(tokens)
        for layer in self.layers:
            x = x + layer(x, block_mask)
        return self.head(x)
