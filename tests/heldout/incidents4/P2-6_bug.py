import torch
from torch import nn


class DecoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward=256, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.GELU(), nn.Linear(dim_feedforward, d_model))
        self.norm_q = nn.LayerNorm(d_model)
        self.norm_c = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def forward_stream(self, tgt, tgt_norm, tgt_kv, memory, tgt_mask, tgt_key_padding_mask):
        tgt2, _ = self.self_attn(tgt_norm, tgt_kv, tgt_kv, attn_mask=tgt_mask, key_padding_mask=tgt_key_padding_mask)  # BUG
        tgt = tgt + tgt2
        tgt2, _ = self.cross_attn(self.norm2(tgt), memory, memory)
        tgt = tgt + tgt2
        return tgt + self.ff(tgt)

    def forward(self, query, content, memory, query_mask, content_mask, content_key_padding_mask):
        query_norm, content_norm = self.norm_q(query), self.norm_c(content)
        query = self.forward_stream(query, query_norm, content_norm, memory, query_mask, content_key_padding_mask)
        content = self.forward_stream(content, content_norm, content_norm, memory, content_mask, content_key_padding_mask)
        return query, content


class PermutationMasks:
    def __init__(self, device):
        self.device = device

    def __call__(self, perm):
        sz = perm.shape[0]
        mask = torch.zeros((sz, sz), device=self.device)  # BUG
        for i in range(sz):
            query_idx = perm[i]
            masked_keys = perm[i + 1:]
            mask[query_idx, masked_keys] = float("-inf")  # BUG
        content_mask = mask[:-1, :-1].clone()
        mask[torch.eye(sz, dtype=torch.bool, device=self.device)] = float("-inf")  # BUG
        query_mask = mask[1:, :-1]
        return content_mask, query_mask


class PARSeqDecoderHead(nn.Module):
    def __init__(self, num_tokens, max_label_length, d_model=64, nhead=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.text_embed = nn.Embedding(num_tokens, d_model)
        self.pos_queries = nn.Parameter(torch.zeros(1, max_label_length + 1, d_model))
        self.layer = DecoderLayer(d_model, nhead)
        self.head = nn.Linear(d_model, num_tokens)

    def forward(self, memory, tgt, perms):
        tgt_in = tgt[:, :-1]
        tgt_padding_mask = (tgt_in == self.pad_id)
        L = tgt_in.shape[1]
        content = self.text_embed(tgt_in)
        query = self.pos_queries[:, :L].expand(tgt.shape[0], -1, -1)
        make_masks = PermutationMasks(memory.device)
        logits = []
        for perm in perms:
            content_mask, query_mask = make_masks(perm)
            out, _ = self.layer(query, content, memory, query_mask, content_mask, tgt_padding_mask)
            logits.append(self.head(out))
        return logits
