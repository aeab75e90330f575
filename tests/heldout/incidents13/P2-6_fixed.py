import math
import warnings

import torch
from torch import nn


class DecoderLayer(nn.Module):
    """Two-stream decoder layer: position queries attend to the permuted content stream."""

    def __init__(self, d_model, nhead, dim_feedforward=64):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm_q, self.norm_c = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, query, content, memory, query_mask, content_key_padding_mask):
        q, c = self.norm_q(query), self.norm_c(content)
        tgt2, _ = self.self_attn(q, c, c, attn_mask=query_mask, key_padding_mask=content_key_padding_mask)
        tgt = query + tgt2
        tgt2, _ = self.cross_attn(self.norm1(tgt), memory, memory)
        tgt = tgt + tgt2
        return tgt + self.linear2(torch.relu(self.linear1(self.norm2(tgt))))


class PermutedSeqDecoder(nn.Module):
    def __init__(self, charset_size=12, d_model=32, nhead=4, max_label_length=6):
        super().__init__()
        self.text_embed = nn.Embedding(charset_size, d_model)
        self.pos_queries = nn.Parameter(torch.randn(1, max_label_length + 1, d_model) * 0.02)
        self.layer = DecoderLayer(d_model, nhead)
        self.head = nn.Linear(d_model, charset_size)
        self.pad_id = 0

    def generate_attn_masks(self, perm):
        sz = perm.shape[0]
        mask = torch.zeros((sz, sz), dtype=torch.bool)  # BUG
        for i in range(sz):
            query_idx = perm[i]
            masked_keys = perm[i + 1:]
            mask[query_idx, masked_keys] = True  # BUG
        content_mask = mask[:-1, :-1].clone()
        mask[torch.eye(sz, dtype=torch.bool)] = True  # BUG
        query_mask = mask[1:, :-1]
        return content_mask, query_mask

    def forward(self, memory, tgt, perm):
        _, query_mask = self.generate_attn_masks(perm)
        n = tgt.shape[1]
        content = self.text_embed(tgt) * math.sqrt(self.text_embed.embedding_dim)
        padding = tgt == self.pad_id
        query = self.pos_queries[:, :n].expand(tgt.shape[0], -1, -1)
        return self.head(self.layer(query, content, memory, query_mask, padding))


if __name__ == "__main__":
    torch.manual_seed(0)
    dec = PermutedSeqDecoder()
    memory = torch.randn(2, 10, 32)
    tgt = torch.tensor([[1, 5, 6, 7, 2, 0], [1, 8, 3, 2, 0, 0]])
    perm = torch.tensor([0, 3, 1, 5, 2, 4, 6])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        logits = dec(memory, tgt, perm)
    n_warn = sum("mismatched key_padding_mask" in str(w.message) for w in caught)
    print(f"mismatched-mask deprecation warnings = {n_warn}; NaN logits = {torch.isnan(logits).sum().item()}")
