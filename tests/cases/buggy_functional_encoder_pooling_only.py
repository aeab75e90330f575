"""Sentence embedder written as plain functions over a weight dict (torch.func friendly)."""
import torch
import torch.nn.functional as F


def attention_layer(w, x, n_heads):
    bsz, seq, dim = x.shape
    qkv = F.linear(x, w["qkv"]).reshape(bsz, seq, 3, n_heads, dim // n_heads)
    q, k, v = qkv.unbind(dim=2)
    out = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
    return x + F.linear(out.transpose(1, 2).reshape(bsz, seq, dim), w["out"])


def embed_sentences(w, token_ids, attention_mask, n_heads=4):
    h = F.embedding(token_ids, w["tok"])
    h = attention_layer(w, h, n_heads)  # expect: ML505
    keep = attention_mask[..., None].float()
    return (h * keep).sum(1) / keep.sum(1)


if __name__ == "__main__":
    w = {"tok": torch.randn(100, 32), "qkv": torch.randn(96, 32), "out": torch.randn(32, 32)}
    ids = torch.randint(1, 100, (2, 7)); m = torch.ones_like(ids); m[1, 4:] = 0
    print(embed_sentences(w, ids, m).shape)
