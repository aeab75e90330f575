"""Permuted autoregressive sequence model (scene text decoder) - mask generation and decoding."""
import math

import torch
import torch.nn as nn


class DecoderLayer(nn.Module):
    """Two-stream decoder layer: the query stream attends to the content stream."""

    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.GELU(), nn.Linear(dim_feedforward, d_model))
        self.norm_q = nn.LayerNorm(d_model)
        self.norm_c = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward(self, query, content, memory, query_mask, content_key_padding_mask):
        q = self.norm_q(query)
        c = self.norm_c(content)
        sa, _ = self.self_attn(q, c, c, attn_mask=query_mask, key_padding_mask=content_key_padding_mask)
        query = query + sa
        ca, _ = self.cross_attn(self.norm2(query), memory, memory)
        query = query + ca
        return query + self.ff(query)


class PARSeqHead(nn.Module):
    def __init__(self, num_tokens=40, d_model=32, nhead=4, max_label_length=8, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.text_embed = nn.Embedding(num_tokens, d_model)
        self.pos_queries = nn.Parameter(torch.randn(1, max_label_length + 1, d_model) * 0.02)
        self.decoder = DecoderLayer(d_model, nhead)
        self.head = nn.Linear(d_model, num_tokens)

    @staticmethod
    def generate_attn_masks(perm):
        """Generate attention masks given a sequence permutation (includes pos. for bos and eos tokens)."""
        sz = perm.shape[0]
        mask = torch.zeros((sz, sz), device=perm.device)
        for i in range(sz):
            query_idx = perm[i]
            masked_keys = perm[i + 1:]
            mask[query_idx, masked_keys] = float('-inf')
        query_mask = mask[1:, :-1]  # BUG: float -inf mask mixed with the bool key_padding_mask (deprecated mismatched kinds); build it as bool
        return query_mask

    def forward(self, memory, tgt, perm):
        bs, L = tgt.shape
        tgt_in = tgt[:, :-1]
        tgt_padding_mask = (tgt_in == self.pad_id)
        content = self.text_embed(tgt_in) * math.sqrt(self.text_embed.embedding_dim)
        query = self.pos_queries[:, : L - 1].expand(bs, -1, -1)
        query_mask = self.generate_attn_masks(perm)
        out = self.decoder(query, content, memory, query_mask, tgt_padding_mask)
        return self.head(out)
