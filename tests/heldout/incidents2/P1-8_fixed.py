import torch
import torch.nn as nn


def build_group_attend_mask(num_queries: int, num_groups: int, device=None) -> torch.Tensor:
    """Queries of the same denoising group may attend each other.

    Returns (Q, Q) bool, True where attention is allowed (as in the original
    Paddle implementation of the detector).
    """
    group_size = num_queries // num_groups
    group_id = torch.arange(num_queries, device=device) // group_size
    return group_id[:, None] == group_id[None, :]


class PETRTransformerDecoderLayer(nn.Module):
    def __init__(self, embed_dims=256, num_heads=8, feedforward_channels=1024, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dims, num_heads, dropout=dropout)
        self.cross_attn = nn.MultiheadAttention(embed_dims, num_heads, dropout=dropout)
        self.norms = nn.ModuleList([nn.LayerNorm(embed_dims) for _ in range(3)])
        self.ffn = nn.Sequential(
            nn.Linear(embed_dims, feedforward_channels), nn.ReLU(inplace=True),
            nn.Dropout(dropout), nn.Linear(feedforward_channels, embed_dims),
        )

    def forward(self, query, memory, query_pos, attn_mask=None, memory_key_padding_mask=None):
        # query: (num_query, bs, C), memory: (num_tokens, bs, C)
        q = k = query + query_pos
        query = self.norms[0](query + self.self_attn(q, k, query, attn_mask=attn_mask)[0])
        query = self.norms[1](query + self.cross_attn(
            query + query_pos, memory, memory, key_padding_mask=memory_key_padding_mask)[0])
        return self.norms[2](query + self.ffn(query))


class PETRDecoder(nn.Module):
    def __init__(self, num_layers=6, num_groups=5, **kwargs):
        super().__init__()
        self.num_groups = num_groups
        self.layers = nn.ModuleList([PETRTransformerDecoderLayer(**kwargs) for _ in range(num_layers)])

    def forward(self, query, memory, query_pos, memory_key_padding_mask=None):
        attn_mask = build_group_attend_mask(query.shape[0], self.num_groups, query.device)
        attn_mask = torch.logical_not(attn_mask)
        outputs = []
        for layer in self.layers:
            query = layer(query, memory, query_pos, attn_mask=attn_mask,
                          memory_key_padding_mask=memory_key_padding_mask)
            outputs.append(query)
        return torch.stack(outputs)


if __name__ == "__main__":
    decoder = PETRDecoder(num_layers=2, num_groups=5)
    query = torch.randn(900, 2, 256)
    pos = torch.randn(900, 2, 256)
    memory = torch.randn(6 * 20 * 50, 2, 256)
    print(decoder(query, memory, pos).shape)
