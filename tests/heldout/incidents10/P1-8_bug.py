"""paddle3d/models/transformers/petr_transformer.py (torch re-implementation of the port).

`MultiHeadAttention` follows the Paddle API: a bool ``attn_mask`` is True where
attention is *allowed*.  The decoder layer was ported from the mmdet/torch
version, whose ``key_padding_mask`` is True on padded (invalid) positions.
"""
import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    """Paddle-semantics MHA: attn_mask bool, True = attend (broadcast to [B, H, L, S])."""

    def __init__(self, embed_dim, num_heads, dropout=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def _shape(self, t):
        b, n, _ = t.shape
        return t.reshape(b, n, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, query, key, value, attn_mask=None):
        q, k, v = self._shape(self.q_proj(query)), self._shape(self.k_proj(key)), self._shape(self.v_proj(value))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask,
                                             dropout_p=self.dropout if self.training else 0.0)
        b, _, n, _ = out.shape
        return self.out_proj(out.transpose(1, 2).reshape(b, n, -1))


class PETRMultiheadAttention(nn.Module):
    def __init__(self, embed_dims=32, num_heads=4, batch_first=True):
        super().__init__()
        self.batch_first = batch_first
        self.attn = MultiHeadAttention(embed_dims, num_heads)

    def forward(self, query, key=None, value=None, identity=None, query_pos=None, key_pos=None,
                attn_mask=None, key_padding_mask=None, **kwargs):
        key = query if key is None else key
        value = key if value is None else value
        identity = query if identity is None else identity
        if query_pos is not None:
            query = query + query_pos
        if key_pos is not None:
            key = key + key_pos
        if key_padding_mask is not None:
            # torch: True = padded; paddle: True = attend
            attn_mask = key_padding_mask[:, None, None, :]  # BUG
        out = self.attn(query, key, value, attn_mask=attn_mask)
        return identity + out




if __name__ == "__main__":
    torch.manual_seed(0)
    layer = PETRMultiheadAttention().eval()
    queries = torch.randn(2, 5, 32)
    memory = torch.randn(2, 12, 32)
    pad = torch.zeros(2, 12, dtype=torch.bool)
    pad[1, 8:] = True  # sample 1 has 4 invalid camera tokens
    mem2 = memory.clone(); mem2[1, 8:] = torch.randn(4, 32) * 10
    with torch.no_grad():
        a = layer(queries, memory, memory, key_padding_mask=pad)
        b = layer(queries, mem2, mem2, key_padding_mask=pad)
    print("query output change from padded memory content:", (a - b).abs().max().item())
