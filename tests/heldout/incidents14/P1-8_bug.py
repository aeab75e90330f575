import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    """Stand-in for paddle.nn.MultiHeadAttention: ``attn_mask`` is broadcast to
    [batch, num_heads, query_len, key_len]; bool True / 1 marks positions that are attended."""

    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def _split(self, x):
        b, n, _ = x.shape
        return x.reshape(b, n, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, query, key, value, attn_mask=None):
        q, k, v = self._split(self.q_proj(query)), self._split(self.k_proj(key)), self._split(self.v_proj(value))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=0.0)
        b, _, n, _ = out.shape
        return self.out_proj(out.transpose(1, 2).reshape(b, n, -1))


class PETRMultiheadAttention(nn.Module):
    """A wrapper for paddle.nn.MultiheadAttention, ported from mmcv's torch version."""

    def __init__(self, embed_dims, num_heads, attn_drop=0.0, batch_first=False):
        super(PETRMultiheadAttention, self).__init__()
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.batch_first = batch_first
        self.attn = MultiHeadAttention(embed_dims, num_heads, attn_drop)

    def forward(self, query, key=None, value=None, identity=None, query_pos=None, key_pos=None,
                attn_mask=None, key_padding_mask=None, **kwargs):
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

        if not self.batch_first:
            query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)

        if key_padding_mask is not None:
            attn_mask = key_padding_mask[:, None, None, :]  # BUG
        out = self.attn(query, key, value, attn_mask=attn_mask)

        if not self.batch_first:
            out = out.transpose(0, 1)
        return identity + out


if __name__ == "__main__":
    torch.manual_seed(0)
    num_query, num_key, bs, dims = 3, 6, 2, 8
    cross_attn = PETRMultiheadAttention(dims, num_heads=2).eval()
    query = torch.randn(num_query, bs, dims)
    memory = torch.randn(num_key, bs, dims)
    masks = torch.zeros(bs, num_key, dtype=torch.bool)
    masks[:, 4:] = True
    memory2 = memory.clone()
    memory2[4:] = torch.randn(2, bs, dims)
    with torch.no_grad():
        a = cross_attn(query, memory, memory, key_padding_mask=masks)
        b = cross_attn(query, memory2, memory2, key_padding_mask=masks)
    print(f"query change caused by padded image features: {(a - b).abs().max().item():.4f}")
