import warnings

import torch
from torch import nn


class DecoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=32, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward_stream(self, tgt, tgt_norm, tgt_kv, attn_mask, key_padding_mask):
        tgt2, sa_weights = self.self_attn(tgt_norm, tgt_kv, tgt_kv, attn_mask=attn_mask,
                                          key_padding_mask=key_padding_mask)
        tgt = tgt + tgt2
        tgt = tgt + self.linear2(torch.relu(self.linear1(self.norm2(tgt))))
        return tgt, sa_weights

    def forward(self, query, content, query_mask, content_mask, content_key_padding_mask):
        query_norm = self.norm1(query)
        content_norm = self.norm1(content)
        query = self.forward_stream(query, query_norm, content_norm, query_mask, content_key_padding_mask)[0]
        return query


class PARSeqLite(nn.Module):
    def __init__(self, d_model=16, nhead=2, max_label_length=5):
        super().__init__()
        self.decoder = DecoderLayer(d_model, nhead)
        self.pos_queries = nn.Parameter(torch.randn(1, max_label_length + 1, d_model))
        self.text_embed = nn.Embedding(12, d_model)

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

    def forward(self, tgt_in, perm, pad_id=0):
        tgt_padding_mask = tgt_in == pad_id
        content_mask, query_mask = self.generate_attn_masks(perm)
        L = tgt_in.shape[1]
        query = self.pos_queries[:, :L].expand(tgt_in.shape[0], -1, -1)
        return self.decoder(query, self.text_embed(tgt_in), query_mask, content_mask, tgt_padding_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PARSeqLite()
    tgt_in = torch.tensor([[1, 4, 5, 6, 0], [1, 7, 8, 9, 10]])
    perm = torch.tensor([0, 3, 1, 2, 4, 5])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = model(tgt_in, perm)
    mismatched = [w for w in caught if "mismatched key_padding_mask" in str(w.message)]
    print(f"mismatched-mask deprecation warnings: {len(mismatched)}, out finite: {bool(out.isfinite().all())}")
