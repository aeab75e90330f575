import torch
import torch.nn.functional as F
from torch import nn


class PaddleMultiHeadAttention(nn.Module):
    """Mirror of paddle.nn.MultiHeadAttention, built on F.scaled_dot_product_attention."""

    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def _heads(self, t):
        b, n, _ = t.shape
        return t.reshape(b, n, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, query, key=None, value=None, attn_mask=None):
        key = query if key is None else key
        value = query if value is None else value
        q, k, v = self._heads(self.q_proj(query)), self._heads(self.k_proj(key)), self._heads(self.v_proj(value))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0)
        b, _, n, _ = out.shape
        return self.out_proj(out.transpose(1, 2).reshape(b, n, -1))


class MultiheadAttention(nn.Module):
    """Ported from mmcv.cnn.bricks.transformer.MultiheadAttention (batch_first)."""

    def __init__(self, embed_dims, num_heads, attn_drop=0.0, proj_drop=0.0):
        super().__init__()
        self.embed_dims = embed_dims
        self.attn = PaddleMultiHeadAttention(embed_dims, num_heads, attn_drop)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, query, key=None, value=None, identity=None, query_pos=None, key_pos=None, key_padding_mask=None):
        if key is None:
            key = query
        if value is None:
            value = key
        if identity is None:
            identity = query
        if key_pos is None and query_pos is not None and query_pos.shape == key.shape:
            key_pos = query_pos
        if query_pos is not None:
            query = query + query_pos
        if key_pos is not None:
            key = key + key_pos
        attn_mask = None
        if key_padding_mask is not None:
            attn_mask = key_padding_mask.logical_not()[:, None, None, :]
        out = self.attn(query, key, value, attn_mask=attn_mask)
        return identity + self.proj_drop(out)


class PETRTransformerDecoderLayer(nn.Module):
    def __init__(self, embed_dims=32, num_heads=4, feedforward_channels=64):
        super().__init__()
        self.self_attn = MultiheadAttention(embed_dims, num_heads)
        self.cross_attn = MultiheadAttention(embed_dims, num_heads)
        self.norms = nn.ModuleList([nn.LayerNorm(embed_dims) for _ in range(3)])
        self.ffn = nn.Sequential(nn.Linear(embed_dims, feedforward_channels), nn.ReLU(), nn.Linear(feedforward_channels, embed_dims))

    def forward(self, query, key, value, query_pos=None, key_pos=None, key_padding_mask=None):
        query = self.norms[0](self.self_attn(query, query_pos=query_pos))
        query = self.norms[1](self.cross_attn(query, key, value, query_pos=query_pos, key_pos=key_pos, key_padding_mask=key_padding_mask))
        return self.norms[2](query + self.ffn(query))


def build_img_padding_mask(img_shapes, pad_hw, stride):
    feat_h, feat_w = pad_hw[0] // stride, pad_hw[1] // stride
    masks = torch.ones(len(img_shapes), feat_h, feat_w, dtype=torch.bool)
    for i, (h, w) in enumerate(img_shapes):
        masks[i, : (h + stride - 1) // stride, : (w + stride - 1) // stride] = False
    return masks.flatten(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = PETRTransformerDecoderLayer().eval()
    memory = torch.randn(2, 16, 32)
    pos = torch.randn(2, 16, 32)
    queries = torch.randn(2, 6, 32)
    qpos = torch.randn(2, 6, 32)
    kpm = build_img_padding_mask([(64, 64), (64, 32)], pad_hw=(64, 64), stride=16)
    noisy = memory.clone()
    noisy[kpm] = torch.randn_like(noisy[kpm]) * 5
    with torch.no_grad():
        a = layer(queries, memory, memory, qpos, pos, key_padding_mask=kpm)
        b = layer(queries, noisy, noisy, qpos, pos, key_padding_mask=kpm)
    print(f"query change when padded image features change: {(a - b).abs().max().item():.3e}")
