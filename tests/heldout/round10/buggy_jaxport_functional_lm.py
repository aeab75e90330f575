"""Functional decoder-only LM ported from a JAX/Flax codebase: params are plain dicts, apply() is pure."""
import math

import torch
import torch.nn.functional as F


def dense_init(key, d_in, d_out):
    g = torch.Generator().manual_seed(key)
    return {"kernel": torch.randn(d_in, d_out, generator=g) / math.sqrt(d_in), "bias": torch.zeros(d_out)}


def dense(p, x):
    return x @ p["kernel"] + p["bias"]


def layer_norm(x, eps=1e-6):
    return F.layer_norm(x, x.shape[-1:], eps=eps)


def init_params(key, vocab, d_model, n_heads, n_layers):
    params = {"embed": torch.randn(vocab, d_model, generator=torch.Generator().manual_seed(key)) * 0.02,
              "layers": [], "n_heads": n_heads}
    for i in range(n_layers):
        k = key + 10 * (i + 1)
        params["layers"].append({
            "query": dense_init(k + 1, d_model, d_model), "key": dense_init(k + 2, d_model, d_model),
            "value": dense_init(k + 3, d_model, d_model), "out": dense_init(k + 4, d_model, d_model),
            "mlp_in": dense_init(k + 5, d_model, 4 * d_model), "mlp_out": dense_init(k + 6, 4 * d_model, d_model),
        })
    return params


def make_causal_mask(length):
    idxs = torch.arange(length)
    return idxs[None, :] > idxs[:, None]


def dot_product_attention(q, k, v, mask):
    # q, k, v: [batch, length, heads, head_dim] (Flax layout)
    depth = q.shape[-1]
    logits = torch.einsum("bqhd,bkhd->bhqk", q / math.sqrt(depth), k)
    big_neg = torch.finfo(logits.dtype).min
    logits = torch.where(mask, logits, big_neg)  # expect: ML102
    weights = torch.softmax(logits, dim=-1)
    return torch.einsum("bhqk,bkhd->bqhd", weights, v)


def block(p, x, mask, n_heads):
    b, l, d = x.shape
    h = layer_norm(x)
    split = lambda t: t.reshape(b, l, n_heads, d // n_heads)
    q, k, v = split(dense(p["query"], h)), split(dense(p["key"], h)), split(dense(p["value"], h))
    att = dot_product_attention(q, k, v, mask).reshape(b, l, d)
    x = x + dense(p["out"], att)
    return x + dense(p["mlp_out"], F.gelu(dense(p["mlp_in"], layer_norm(x))))


def apply(params, tokens):
    x = params["embed"][tokens]
    mask = make_causal_mask(tokens.shape[1])[None, None]
    for p in params["layers"]:
        x = block(p, x, mask, params["n_heads"])
    return layer_norm(x) @ params["embed"].T


def loss_fn(params, tokens):
    logits = apply(params, tokens[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens[:, 1:].reshape(-1))


if __name__ == "__main__":
    params = init_params(0, vocab=256, d_model=64, n_heads=4, n_layers=2)
    tokens = torch.randint(0, 256, (2, 17), generator=torch.Generator().manual_seed(1))
    print(apply(params, tokens).shape, loss_fn(params, tokens).item())
