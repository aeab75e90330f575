import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import FusedMultiheadAttention


def build_img_padding_mask(img_shapes, pad_shape, stride, num_views):
    """True where a feature-map cell lies in the padded border of the image."""
    pad_h, pad_w = pad_shape
    feat_h, feat_w = pad_h // stride, pad_w // stride
    masks = []
    for (img_h, img_w) in img_shapes:
        m = torch.ones(num_views, pad_h, pad_w)
        m[:, :img_h, :img_w] = 0
        m = F.interpolate(m[None], size=(feat_h, feat_w)).to(torch.bool)[0]
        masks.append(m.flatten())  # views x cells, flattened
    return torch.stack(masks)  # (bs, num_views * feat_h * feat_w)


class PETRDecoderLayer(nn.Module):
    def __init__(self, embed_dims=32, num_heads=4, ffn_dims=64):
        super().__init__()
        self.self_attn = FusedMultiheadAttention(embed_dims, num_heads)
        self.cross_attn = FusedMultiheadAttention(embed_dims, num_heads)
        self.norms = nn.ModuleList([nn.LayerNorm(embed_dims) for _ in range(3)])
        self.ffn = nn.Sequential(nn.Linear(embed_dims, ffn_dims), nn.ReLU(), nn.Linear(ffn_dims, embed_dims))

    def forward(self, query, query_pos, memory, pos_embed, mask):
        q = query + query_pos
        query = self.norms[0](query + self.self_attn(q, q, query))
        query = self.norms[1](query + self.cross_attn(
            query + query_pos, memory + pos_embed, memory, key_padding_mask=mask))
        return self.norms[2](query + self.ffn(query))


class PETRTransformerDecoder(nn.Module):
    def __init__(self, num_layers=2, embed_dims=32, num_heads=4, num_queries=10):
        super().__init__()
        self.layers = nn.ModuleList([PETRDecoderLayer(embed_dims, num_heads) for _ in range(num_layers)])
        self.query_embedding = nn.Embedding(num_queries, embed_dims * 2)
        self.reg_branch = nn.Linear(embed_dims, 10)

    def forward(self, memory, pos_embed, mask):
        """memory/pos_embed: (bs, num_views * h * w, c); mask: (bs, num_views * h * w), True = padding."""
        bs = memory.shape[0]
        query_pos, query = self.query_embedding.weight.chunk(2, dim=-1)
        query = query.unsqueeze(0).expand(bs, -1, -1)
        query_pos = query_pos.unsqueeze(0).expand(bs, -1, -1)
        for layer in self.layers:
            query = layer(query, query_pos, memory, pos_embed, mask)
        return self.reg_branch(query)
