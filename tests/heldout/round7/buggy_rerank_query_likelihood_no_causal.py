"""Query-likelihood reranking: a small decoder-only LM reads
"<doc> ... <q> ..." and a document is scored by log p(query | document),
summed over the query tokens in one teacher-forced pass."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

DOC, QRY = 1, 2


def qkv_attention(x, w_qkv, w_o, heads):
    B, L, D = x.shape
    q, k, v = (x @ w_qkv).view(B, L, 3, heads, D // heads).permute(2, 0, 3, 1, 4)
    y = F.scaled_dot_product_attention(  # expect: ML401
        q, k, v,
        dropout_p=0.0,
    )
    return y.transpose(1, 2).reshape(B, L, D) @ w_o


def init_lm(vocab=120, d=32, layers=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    p = {"emb": torch.randn(vocab, d, generator=g) * 0.5, "pos": torch.randn(64, d, generator=g) * 0.1}
    for i in range(layers):
        p[f"qkv{i}"] = torch.randn(d, 3 * d, generator=g) / math.sqrt(d)
        p[f"o{i}"] = torch.randn(d, d, generator=g) / math.sqrt(d)
    p["layers"] = layers
    return p


def lm_logits(p, ids, heads=4):
    x = p["emb"][ids] + p["pos"][: ids.size(1)]
    for i in range(p["layers"]):
        x = x + qkv_attention(F.layer_norm(x, x.shape[-1:]), p[f"qkv{i}"], p[f"o{i}"], heads)
    return F.layer_norm(x, x.shape[-1:]) @ p["emb"].t()


def query_log_likelihood(p, doc_ids, query_ids):
    ids = torch.cat([torch.tensor([DOC]), doc_ids, torch.tensor([QRY]), query_ids])[None]
    logp = F.log_softmax(lm_logits(p, ids[:, :-1]), -1)
    targets = ids[:, 1:]
    token_lp = logp.gather(-1, targets[..., None]).squeeze(-1)[0]
    return token_lp[-len(query_ids):]


def rerank(p, query_ids, docs):
    scores = torch.stack([query_log_likelihood(p, d, query_ids).sum() for d in docs])
    return scores.argsort(descending=True), scores


if __name__ == "__main__":
    p = init_lm()
    doc = torch.tensor([10, 11, 12, 13])
    q1 = torch.tensor([40, 41, 42])
    q2 = torch.tensor([40, 99, 42])  # differs only in the second query token
    lp1 = query_log_likelihood(p, doc, q1)
    lp2 = query_log_likelihood(p, doc, q2)
    leak = (lp1[0] - lp2[0]).abs().item()
    print("log p(first query token) moved by the second query token:", leak)
    assert leak > 1e-4
    print(rerank(p, q1, [doc, torch.tensor([50, 51])]))
