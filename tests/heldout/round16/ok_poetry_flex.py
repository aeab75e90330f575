"""Haiku LM with FlexAttention: causal, restricted to the current line plus
the title, with an ALiBi-style score_mod."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import and_masks, create_block_mask, flex_attention


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


def line_or_title(line_ids, title_len):
    def mask_mod(b, h, q_idx, kv_idx):
        return (line_ids[b, q_idx] == line_ids[b, kv_idx]) | (kv_idx < title_len)
    return mask_mod


def alibi(slopes):
    def score_mod(score, b, h, q_idx, kv_idx):
        return score - slopes[h] * (q_idx - kv_idx)
    return score_mod


class HaikuLM(nn.Module):
    def __init__(self, vocab=300, dim=64, heads=4, depth=2, newline_id=10, title_len=3):
        super().__init__()
        self.heads, self.newline_id, self.title_len = heads, newline_id, title_len
        self.emb = nn.Embedding(vocab, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim, bias=False) for _ in range(depth))
        self.proj = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)
        self.register_buffer("slopes", 2.0 ** -torch.arange(1, heads + 1, dtype=torch.float32))

    def forward(self, tokens):
        b, n = tokens.shape
        line_ids = torch.cumsum(tokens.eq(self.newline_id).long(), dim=1)
        mask_mod = and_masks(causal, line_or_title(line_ids, self.title_len))
        block_mask = create_block_mask(mask_mod, b, None, n, n, device=str(tokens.device))
        x = self.emb(tokens)
        for qkv, proj in zip(self.qkv, self.proj):
            q, k, v = qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, score_mod=alibi(self.slopes), block_mask=block_mask)
            x = x + proj(y.transpose(1, 2).reshape(b, n, -1))
        return self.head(x)
