import torch
from torch import nn


def generate_attn_masks(perm: torch.Tensor):
    """Content and query masks for one permutation of the target positions."""
    sz = perm.shape[0]
    mask = torch.zeros((sz, sz), dtype=torch.bool, device=perm.device)
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1:]
        mask[query_idx, masked_keys] = True
    content_mask = mask[:-1, :-1].clone()
    mask[torch.eye(sz, dtype=torch.bool, device=perm.device)] = True
    query_mask = mask[1:, :-1]
    return content_mask, query_mask


class DecoderLayer(nn.Module):
    def __init__(self, d_model=384, nhead=12, dim_feedforward=1536, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.norm_q = nn.LayerNorm(d_model)
        self.norm_c = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, dim_feedforward), nn.GELU(), nn.Linear(dim_feedforward, d_model))

    def forward(self, query, content, memory, query_mask, content_key_padding_mask):
        q = self.norm_q(query)
        c = self.norm_c(content)
        query = query + self.self_attn(q, c, c, attn_mask=query_mask,
                                       key_padding_mask=content_key_padding_mask)[0]
        query = query + self.cross_attn(query, memory, memory)[0]
        return query + self.ff(query)


if __name__ == "__main__":
    layer = DecoderLayer()
    perm = torch.cat([torch.tensor([0]), torch.randperm(25) + 1, torch.tensor([26])])
    content_mask, query_mask = generate_attn_masks(perm)
    tgt = torch.randint(0, 95, (4, 26))
    tgt_padding_mask = (tgt == 94)
    query = torch.randn(4, 26, 384)
    content = torch.randn(4, 26, 384)
    memory = torch.randn(4, 128, 384)
    print(layer(query, content, memory, query_mask, tgt_padding_mask).shape)
