import paddle
import paddle.nn as nn


class MultiHeadAttention(nn.Layer):
    """A wrapper for ``paddle.nn.MultiHeadAttention`` ported from the mmcv (torch) version.

    Inputs follow the mmcv layout (num_query, bs, embed_dims); key_padding_mask
    follows the torch convention with shape (bs, num_key).
    """

    def __init__(self, embed_dims, num_heads, attn_drop=0.0, proj_drop=0.0, batch_first=False):
        super(MultiHeadAttention, self).__init__()
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.batch_first = batch_first
        self.attn = nn.MultiHeadAttention(embed_dims, num_heads, dropout=attn_drop)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, query, key=None, value=None, identity=None, query_pos=None, key_pos=None,
                attn_mask=None, key_padding_mask=None):
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
            query = query.transpose([1, 0, 2])
            key = key.transpose([1, 0, 2])
            value = value.transpose([1, 0, 2])

        if key_padding_mask is not None:
            # torch: True marks padded keys -> (bs, 1, 1, num_key) for broadcasting over heads/queries
            attn_mask = key_padding_mask.unsqueeze([1, 2])  # BUG: paddle bool masks keep True positions

        out = self.attn(query, key, value, attn_mask=attn_mask)  # BUG: attends only to padded keys

        if not self.batch_first:
            out = out.transpose([1, 0, 2])
        return identity + self.proj_drop(out)
