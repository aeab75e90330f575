import torch
from torch import nn


class DecoderLayer(nn.Module):
    """Permutation-LM decoder layer: the query stream attends over the content stream."""

    def __init__(self, d_model, nhead, dim_feedforward=16, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.linear1 = nn.Linear(d_model, dim_feedforward)
        self.linear2 = nn.Linear(dim_feedforward, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)

    def forward(self, query, content, memory, query_mask=None, content_key_padding_mask=None):
        tgt2, _ = self.self_attn(query, content, content, attn_mask=query_mask,  # BUG: float perm mask + bool padding mask
                                 key_padding_mask=content_key_padding_mask)
        query = self.norm1(query + tgt2)
        tgt2, _ = self.cross_attn(query, memory, memory)
        query = self.norm2(query + tgt2)
        return self.norm3(query + self.linear2(torch.relu(self.linear1(query))))


def generate_attn_masks(perm):
    """Attention mask for the query stream given a permutation of positions 0..T-1 (0 = [BOS])."""
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz))  # BUG: additive float mask
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1:]
        mask[query_idx, masked_keys] = float("-inf")
    mask[torch.eye(sz, dtype=torch.bool)] = float("-inf")  # a query does not see its own token
    mask[0, 0] = 0.0  # [BOS] position always visible
    return mask


class PARSeqDecoderHead(nn.Module):
    def __init__(self, num_tokens=12, d_model=8, nhead=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.text_embed = nn.Embedding(num_tokens, d_model)
        self.pos_queries = nn.Parameter(torch.randn(1, 16, d_model) * 0.02)
        self.layer = DecoderLayer(d_model, nhead)
        self.head = nn.Linear(d_model, num_tokens)

    def forward(self, tgt, memory, perm):
        T = tgt.shape[1]
        content = self.text_embed(tgt)
        query = self.pos_queries[:, :T].expand(tgt.shape[0], -1, -1)
        query_mask = generate_attn_masks(perm)
        padding_mask = tgt == self.pad_id
        out = self.layer(query, content, memory, query_mask=query_mask, content_key_padding_mask=padding_mask)
        return self.head(out)


def run():
    model = PARSeqDecoderHead()
    tgt = torch.tensor([[1, 5, 6, 7, 3], [1, 8, 9, 0, 0]])
    memory = torch.randn(2, 6, 8)
    perm = torch.tensor([0, 3, 1, 4, 2])
    return model(tgt, memory, perm)
