"""Permuted autoregressive sequence model decoder (scene-text recognition)."""
import torch
import torch.nn as nn


def generate_attn_masks(perm):
    """Generate attention masks given a sequence permutation (includes pos. for BOS)."""
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz), dtype=torch.bool)
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1:]
        mask[query_idx, masked_keys] = True
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(sz, dtype=torch.bool)] = True
    query_mask = mask[1:, :-1]
    return content_mask, query_mask


class DecoderLayer(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm_q = nn.LayerNorm(d_model)
        self.norm_c = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))

    def forward(self, query, content, memory, query_mask, content_key_padding_mask):
        q_norm, c_norm = self.norm_q(query), self.norm_c(content)
        sa, _ = self.self_attn(q_norm, c_norm, c_norm, attn_mask=query_mask, key_padding_mask=content_key_padding_mask)
        query = query + sa
        ca, _ = self.cross_attn(query, memory, memory)
        query = query + ca
        return query + self.ff(query)


class PARSeqDecoderHead(nn.Module):
    def __init__(self, num_tokens=20, d_model=32, nhead=4, max_label_length=6, pad_id=1):
        super().__init__()
        self.pad_id = pad_id
        self.text_embed = nn.Embedding(num_tokens, d_model)
        self.pos_queries = nn.Parameter(torch.randn(1, max_label_length + 1, d_model) * 0.02)
        self.layer = DecoderLayer(d_model, nhead)
        self.head = nn.Linear(d_model, num_tokens)

    def forward(self, tgt, memory, perm):
        _, query_mask = generate_attn_masks(perm)
        tgt_in = tgt[:, :-1]
        tgt_padding_mask = (tgt_in == self.pad_id)
        L = tgt_in.shape[1]
        content = self.text_embed(tgt_in)
        query = self.pos_queries[:, :L].expand(tgt.shape[0], -1, -1)
        out = self.layer(query, content, memory, query_mask, tgt_padding_mask)
        return self.head(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    head = PARSeqDecoderHead()
    tgt = torch.tensor([[0, 5, 6, 7, 2, 1, 1], [0, 8, 9, 10, 11, 12, 2]])
    memory = torch.randn(2, 12, 32)
    perm = torch.cat([torch.tensor([0]), torch.randperm(5) + 1, torch.tensor([6])])
    print(head(tgt, memory, perm).shape)
