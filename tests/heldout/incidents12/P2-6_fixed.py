import warnings

import torch
from torch import nn


class DecoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm_q = nn.LayerNorm(d_model)
        self.norm_c = nn.LayerNorm(d_model)

    def forward_stream(self, tgt, tgt_norm, tgt_kv, memory, tgt_mask, tgt_key_padding_mask):
        tgt2, sa_weights = self.self_attn(tgt_norm, tgt_kv, tgt_kv, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask)
        tgt = tgt + tgt2
        tgt2, ca_weights = self.cross_attn(self.norm1(tgt), memory, memory)
        tgt = tgt + tgt2
        tgt = tgt + self.linear2(torch.relu(self.linear1(self.norm2(tgt))))
        return tgt, sa_weights, ca_weights

    def forward(self, query, content, memory, query_mask=None, content_mask=None, content_key_padding_mask=None):
        query_norm = self.norm_q(query)
        content_norm = self.norm_c(content)
        query = self.forward_stream(query, query_norm, content_norm, memory, query_mask, content_key_padding_mask)[0]
        content = self.forward_stream(content, content_norm, content_norm, memory, content_mask, content_key_padding_mask)[0]
        return query, content


def generate_attn_masks(perm):
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz), dtype=torch.bool)
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1 :]
        mask[query_idx, masked_keys] = True
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(sz, dtype=torch.bool)] = True
    query_mask = mask[1:, :-1]
    return content_mask, query_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = DecoderLayer(32, 4).train()
    max_label_length = 6
    perm = torch.cat([torch.tensor([0]), torch.randperm(max_label_length) + 1, torch.tensor([max_label_length + 1])])
    content_mask, query_mask = generate_attn_masks(perm)
    tgt_in = torch.randint(1, 30, (2, max_label_length + 1))
    tgt_in[1, 5:] = 0
    padding_mask = tgt_in == 0
    embed = nn.Embedding(30, 32)
    memory, pos_queries = torch.randn(2, 10, 32), torch.randn(2, max_label_length + 1, 32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        q, c = layer(pos_queries, embed(tgt_in), memory, query_mask, content_mask, padding_mask)
    n = sum("mismatched" in str(w.message) for w in caught)
    print(f"mismatched-mask warnings: {n}; finite outputs: {bool(torch.isfinite(q).all())}")
