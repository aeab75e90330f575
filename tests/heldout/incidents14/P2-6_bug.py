import warnings

import torch
from torch import nn


class DecoderLayer(nn.Module):
    """A Transformer decoder layer supporting two-stream attention (XLNet)."""

    def __init__(self, d_model, nhead, dim_feedforward=16, dropout=0.0):
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
        tgt2, sa_weights = self.self_attn(tgt_norm, tgt_kv, tgt_kv, attn_mask=tgt_mask,
                                          key_padding_mask=tgt_key_padding_mask)
        tgt = tgt + tgt2
        tgt2, ca_weights = self.cross_attn(self.norm1(tgt), memory, memory)
        tgt = tgt + tgt2
        tgt = tgt + self.linear2(torch.relu(self.linear1(self.norm2(tgt))))
        return tgt, sa_weights, ca_weights

    def forward(self, query, content, memory, query_mask=None, content_mask=None, content_key_padding_mask=None):
        query_norm = self.norm_q(query)
        content_norm = self.norm_c(content)
        query = self.forward_stream(query, query_norm, content_norm, memory, query_mask, content_key_padding_mask)[0]
        content = self.forward_stream(content, content_norm, content_norm, memory, content_mask,
                                      content_key_padding_mask)[0]
        return query, content


def generate_attn_masks(perm, device=None):
    """Generate attention masks given a sequence permutation (includes pos. for bos and eos tokens)"""
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz), device=device)  # BUG
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1:]
        mask[query_idx, masked_keys] = float('-inf')  # BUG
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(sz, dtype=torch.bool, device=device)] = float('-inf')  # BUG
    query_mask = mask[1:, :-1]
    return content_mask, query_mask


if __name__ == '__main__':
    torch.manual_seed(0)
    pad_id, eos_id = 0, 1
    layer = DecoderLayer(d_model=8, nhead=2)
    tgt = torch.tensor([[2, 5, 6, 7, 1, 0], [2, 8, 9, 1, 0, 0]])
    tgt_in = tgt[:, :-1]
    tgt_padding_mask = (tgt_in == pad_id) | (tgt_in == eos_id)
    perm = torch.cat([torch.tensor([0]), torch.randperm(4) + 1, torch.tensor([5])])
    content_mask, query_mask = generate_attn_masks(perm)
    content, pos_queries, memory = torch.randn(2, 5, 8), torch.randn(2, 5, 8), torch.randn(2, 7, 8)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        out, _ = layer(pos_queries, content, memory, query_mask, content_mask, tgt_padding_mask)
    n = sum('mismatched key_padding_mask and attn_mask' in str(w.message) for w in caught)
    print(f'mismatched-mask deprecation warnings: {n} (nan in output: {int(torch.isnan(out).sum())})')
