import torch
import torch.nn as nn


def generate_attn_masks(perm: torch.Tensor):
    """Masks for permuted autoregressive decoding.  perm[0] must be 0 (the BOS slot).

    Returns (content_mask, query_mask), each (T-1, T-1), for nn.MultiheadAttention.
    """
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


class TwoStreamDecoderLayer(nn.Module):
    def __init__(self, d_model: int, nhead: int):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm_q = nn.LayerNorm(d_model)
        self.norm_c = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, query, content, memory, query_mask, content_mask, content_key_padding_mask):
        c = self.norm_c(content)
        q = query + self.self_attn(self.norm_q(query), c, c, attn_mask=query_mask,
                                   key_padding_mask=content_key_padding_mask)[0]
        q = q + self.cross_attn(q, memory, memory)[0]
        q = q + self.ff(q)
        content = content + self.self_attn(c, c, c, attn_mask=content_mask,
                                           key_padding_mask=content_key_padding_mask)[0]
        return q, content


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T, D = 2, 6, 32
    perm = torch.cat([torch.tensor([0]), torch.randperm(T - 1) + 1])
    content_mask, query_mask = generate_attn_masks(perm)
    tokens = torch.tensor([[1, 5, 7, 9, 0], [1, 4, 4, 0, 0]])  # BOS first, 0 = pad
    padding = tokens == 0
    layer = TwoStreamDecoderLayer(D, nhead=4)
    pos_queries = torch.randn(B, T - 1, D)
    content = torch.randn(B, T - 1, D)
    memory = torch.randn(B, 12, D)
    q, c = layer(pos_queries, content, memory, query_mask, content_mask, padding)
    print("query stream", q.shape, "content stream", c.shape)
