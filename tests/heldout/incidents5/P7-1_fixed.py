"""Generating transformer (character LM) built from small functional pieces."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def mask_(matrices, maskval=0.0, mask_diagonal=True):
    """Masks out all values in the given batch of matrices where i <= j holds (in place)."""
    b, h, w = matrices.size()
    indices = torch.triu_indices(h, w, offset=0 if mask_diagonal else 1)
    matrices[:, indices[0], indices[1]] = maskval


def self_attention(params, x, heads, mask=True):
    b, t, e = x.size()
    s = e // heads
    split = lambda y: y.view(b, t, heads, s).transpose(1, 2).reshape(b * heads, t, s)
    q, k, v = split(params["toq"](x)), split(params["tok"](x)), split(params["tov"](x))
    dot = torch.bmm(q, k.transpose(1, 2)) / s ** 0.5
    if mask:
        mask_(dot, maskval=float("-inf"), mask_diagonal=False)
    dot = F.softmax(dot, dim=2)
    out = torch.bmm(dot, v).view(b, heads, t, s).transpose(1, 2).reshape(b, t, e)
    return params["unify"](out)


def make_params(emb):
    return nn.ModuleDict({n: nn.Linear(emb, emb, bias=False) for n in ("toq", "tok", "tov", "unify")})


def gtransformer(layers, emb_table, head, tokens, heads=4):
    x = emb_table(tokens)
    for p in layers:
        x = x + self_attention(p, x, heads)
    return head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    emb = 32
    layers = [make_params(emb) for _ in range(2)]
    table, head = nn.Embedding(64, emb), nn.Linear(emb, 64)
    tokens = torch.randint(0, 64, (2, 10))
    logits = gtransformer(layers, table, head, tokens)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 64), tokens[:, 1:].reshape(-1))
    print("loss finite:", torch.isfinite(loss).item())
