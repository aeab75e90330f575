import math
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
        return tgt

    def forward(self, query, content, memory, query_mask=None, content_mask=None, content_key_padding_mask=None):
        query_norm = self.norm_q(query)
        content_norm = self.norm_c(content)
        return self.forward_stream(query, query_norm, content_norm, memory, query_mask, content_key_padding_mask)


class PARSeqLite(nn.Module):
    def __init__(self, num_tokens=20, max_label_length=6, embed_dim=32, heads=4):
        super().__init__()
        self.max_label_length = max_label_length
        self.pad_id = 0
        self.bos_id = 1
        self.decoder = DecoderLayer(embed_dim, heads)
        self.text_embed = nn.Embedding(num_tokens, embed_dim)
        self.pos_queries = nn.Parameter(torch.randn(1, max_label_length + 1, embed_dim) * 0.02)
        self.head = nn.Linear(embed_dim, num_tokens)
        self._device = torch.device("cpu")

    def generate_attn_masks(self, perm):
        sz = perm.shape[0]
        mask = torch.zeros((sz, sz), dtype=torch.bool, device=self._device)
        for i in range(sz):
            query_idx = perm[i]
            masked_keys = perm[i + 1:]
            mask[query_idx, masked_keys] = True
        content_mask = mask[:-1, :-1].clone()
        mask[torch.eye(sz, dtype=torch.bool, device=self._device)] = True
        query_mask = mask[1:, :-1]
        return content_mask, query_mask

    def decode(self, tgt, memory, tgt_mask, tgt_padding_mask, tgt_query_mask):
        N, L = tgt.shape
        null_ctx = self.text_embed(tgt[:, :1])
        tgt_emb = self.pos_queries[:, : L - 1] + self.text_embed(tgt[:, 1:]) * math.sqrt(null_ctx.shape[-1])
        tgt_emb = torch.cat([null_ctx, tgt_emb], dim=1)
        tgt_query = self.pos_queries[:, :L].expand(N, -1, -1)
        return self.decoder(tgt_query, tgt_emb, memory, tgt_query_mask, tgt_mask, tgt_padding_mask)

    def training_step_logits(self, memory, tgt, perm):
        tgt_in = tgt[:, :-1]
        tgt_padding_mask = tgt_in == self.pad_id
        tgt_mask, query_mask = self.generate_attn_masks(perm)
        out = self.decode(tgt_in, memory, tgt_mask, tgt_padding_mask, query_mask)
        return self.head(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PARSeqLite()
    memory = torch.randn(2, 10, 32)
    tgt = torch.tensor([[1, 5, 9, 4, 2, 0], [1, 7, 3, 8, 6, 2]])
    perm = torch.cat([torch.tensor([0]), torch.randperm(4) + 1, torch.tensor([5])])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.training_step_logits(memory, tgt, perm)
    n = sum("mismatched key_padding_mask and attn_mask" in str(w.message) for w in caught)
    print(f"mismatched-mask deprecation warnings: {n}")
