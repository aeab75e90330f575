import torch
import torch.nn.functional as F
from torch import nn


class PETRMultiheadAttention(nn.Module):
    def __init__(self, embed_dims, num_heads, dropout=0.0, batch_first=False):
        super().__init__()
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.batch_first = batch_first
        self.in_proj = nn.Linear(embed_dims, 3 * embed_dims)
        self.out_proj = nn.Linear(embed_dims, embed_dims)
        self.dropout = dropout

    def _attend(self, q, k, v, keep_mask):
        bs, nq, _ = q.shape
        heads, hd = self.num_heads, self.embed_dims // self.num_heads
        q, k, v = (t.reshape(bs, -1, heads, hd).transpose(1, 2) for t in (q, k, v))
        attn_mask = None if keep_mask is None else keep_mask[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0)
        return out.transpose(1, 2).reshape(bs, nq, self.embed_dims)

    def forward(self, query, key=None, value=None, identity=None, query_pos=None, key_pos=None, key_padding_mask=None):
        key = query if key is None else key
        value = key if value is None else value
        identity = query if identity is None else identity
        if query_pos is not None:
            query = query + query_pos
        if key_pos is not None:
            key = key + key_pos
        if not self.batch_first:
            query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
        w_q, w_k, w_v = self.in_proj.weight.chunk(3)
        b_q, b_k, b_v = self.in_proj.bias.chunk(3)
        q, k, v = F.linear(query, w_q, b_q), F.linear(key, w_k, b_k), F.linear(value, w_v, b_v)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask  # BUG
        out = self.out_proj(self._attend(q, k, v, key_padding_mask))
        if not self.batch_first:
            out = out.transpose(0, 1)
        return identity + out


def img_masks_from_metas(img_metas, feat_h, feat_w, stride):
    masks = torch.ones(len(img_metas), feat_h, feat_w, dtype=torch.bool)
    for i, meta in enumerate(img_metas):
        img_h, img_w = meta["img_shape"]
        masks[i, : (img_h + stride - 1) // stride, : (img_w + stride - 1) // stride] = False
    return masks.flatten(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = PETRMultiheadAttention(32, 4).eval()
    img_metas = [{"img_shape": (64, 96)}, {"img_shape": (48, 64)}]
    memory = torch.randn(6 * 8, 2, 32)
    mask = img_masks_from_metas(img_metas, 6, 8, stride=16)
    query = torch.randn(10, 2, 32)
    noisy = memory.clone()
    noisy[mask.t()] = torch.randn(int(mask.sum()), 32)
    with torch.no_grad():
        a = attn(query, memory, memory, key_padding_mask=mask)
        b = attn(query, noisy, noisy, key_padding_mask=mask)
    print(f"query change when only padded image features change: {(a - b).abs().max().item():.4f}")
