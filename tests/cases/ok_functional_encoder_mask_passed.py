import torch
import torch.nn.functional as F


def attention_layer(w, x, keep, n_heads):
    bsz, seq, dim = x.shape
    q, k, v = F.linear(x, w["qkv"]).reshape(bsz, seq, 3, n_heads, dim // n_heads).unbind(dim=2)
    out = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                         attn_mask=keep[:, None, None, :])
    return x + F.linear(out.transpose(1, 2).reshape(bsz, seq, dim), w["out"])


def embed_sentences(w, token_ids, attention_mask, n_heads=4):
    h = F.embedding(token_ids, w["tok"])
    h = attention_layer(w, h, attention_mask.bool(), n_heads)
    keep = attention_mask[..., None].float()
    return (h * keep).sum(1) / keep.sum(1)
