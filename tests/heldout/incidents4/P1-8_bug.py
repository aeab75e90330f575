import paddle
import paddle.nn as nn


def build_key_padding_mask(img_metas, feat_w, num_cams):
    masks = []
    for meta in img_metas:
        valid_w = [int(w * feat_w / meta["pad_shape"][1]) for w in meta["img_widths"]]
        cam_masks = [paddle.arange(feat_w) >= vw for vw in valid_w[:num_cams]]
        masks.append(paddle.concat(cam_masks))
    return paddle.stack(masks)


class DetrTransformerDecoderLayer(nn.Layer):
    def __init__(self, embed_dims, num_heads, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiHeadAttention(embed_dims, num_heads, dropout=dropout)
        self.cross_attn = nn.MultiHeadAttention(embed_dims, num_heads, dropout=dropout)
        self.norms = nn.LayerList([nn.LayerNorm(embed_dims) for _ in range(3)])
        self.ffn = nn.Sequential(nn.Linear(embed_dims, embed_dims * 4), nn.ReLU(), nn.Linear(embed_dims * 4, embed_dims))

    def forward(self, query, key, query_pos=None, key_pos=None, key_padding_mask=None):
        q = query + query_pos if query_pos is not None else query
        query = self.norms[0](query + self.self_attn(q, q, query))
        attn_mask = None
        if key_padding_mask is not None:
            attn_mask = key_padding_mask.unsqueeze([1, 2])  # BUG
        q = query + query_pos if query_pos is not None else query
        k = key + key_pos if key_pos is not None else key
        query = self.norms[1](query + self.cross_attn(q, k, key, attn_mask=attn_mask))  # BUG
        return self.norms[2](query + self.ffn(query))


class PETRTransformer(nn.Layer):
    def __init__(self, embed_dims=256, num_heads=8, num_layers=6, num_cams=6):
        super().__init__()
        self.num_cams = num_cams
        self.layers = nn.LayerList([DetrTransformerDecoderLayer(embed_dims, num_heads) for _ in range(num_layers)])

    def forward(self, x, query_embed, pos_embed, img_metas):
        bs, n, c, h, w = x.shape
        memory = x.transpose([0, 1, 3, 4, 2]).reshape([bs, n * h * w, c])
        pos_embed = pos_embed.transpose([0, 1, 3, 4, 2]).reshape([bs, n * h * w, c])
        mask = build_key_padding_mask(img_metas, w, n)
        mask = mask.unsqueeze(1).tile([1, h, 1]).reshape([bs, -1])
        query_embed = query_embed.unsqueeze(0).tile([bs, 1, 1])
        target = paddle.zeros_like(query_embed)
        outputs = []
        for layer in self.layers:
            target = layer(target, memory, query_pos=query_embed, key_pos=pos_embed, key_padding_mask=mask)
            outputs.append(target)
        return paddle.stack(outputs)
