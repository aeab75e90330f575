"""Functional tea-blend scorer (weights live in a plain dict, jax style).

A blend is a set of leaf lots (origin, oxidation, roast level, proportion). The
model attends over the lots and regresses the panel's cup score. Training uses
``torch.func.grad`` over the parameter dict.
"""
import numpy as np
import torch
import torch.nn.functional as F
from torch.func import grad

D_MODEL = 32
N_HEADS = 4
LOT_FEATURES = 6


def init_params(seed=0):
    g = torch.Generator().manual_seed(seed)

    def w(*shape, std=0.05):
        return torch.randn(*shape, generator=g) * std

    return {
        "embed.w": w(D_MODEL, LOT_FEATURES),
        "embed.b": torch.zeros(D_MODEL),
        "attn.in_w": w(3 * D_MODEL, D_MODEL),
        "attn.in_b": torch.zeros(3 * D_MODEL),
        "attn.out_w": w(D_MODEL, D_MODEL),
        "attn.out_b": torch.zeros(D_MODEL),
        "head.w": w(1, D_MODEL),
        "head.b": torch.zeros(1),
    }


def lot_attention(params, x, key_padding_mask=None):
    # x: (lots, blends, D) -- functional MHA expects sequence-first layout
    out, _ = F.multi_head_attention_forward(
        x, x, x, D_MODEL, N_HEADS,
        params["attn.in_w"], params["attn.in_b"], None, None, False, 0.0,
        params["attn.out_w"], params["attn.out_b"],
        training=False, key_padding_mask=key_padding_mask, need_weights=False,
    )
    return out


def blend_score(params, lots, key_padding_mask=None):
    """lots: (blends, max_lots, LOT_FEATURES) -> (blends,)"""
    h = F.linear(lots, params["embed.w"], params["embed.b"]).transpose(0, 1)
    h = h + lot_attention(params, h, key_padding_mask)
    return F.linear(h.mean(0), params["head.w"], params["head.b"]).squeeze(-1)


def mse(params, lots, target):
    return ((blend_score(params, lots) - target) ** 2).mean()


def sgd_step(params, lots, target, lr=1e-2):
    grads = grad(mse)(params, lots, target)
    return {k: p - lr * grads[k] for k, p in params.items()}


def lots_present(recipes, max_lots):
    present = np.zeros((len(recipes), max_lots), dtype=np.int64)
    for i, r in enumerate(recipes):
        present[i, : len(r)] = 1
    return present


def score_recipes(params, recipes):
    """recipes: list of lists of LOT_FEATURES-long feature rows."""
    max_lots = max(len(r) for r in recipes)
    lots = np.zeros((len(recipes), max_lots, LOT_FEATURES), dtype=np.float32)
    for i, r in enumerate(recipes):
        lots[i, : len(r)] = np.asarray(r, dtype=np.float32)
    lots = torch.from_numpy(lots)
    if all(len(r) == max_lots for r in recipes):
        return blend_score(params, lots)
    present = torch.from_numpy(lots_present(recipes, max_lots))
    return blend_score(params, lots, key_padding_mask=present)  # BUG: int64 presence array used as key_padding_mask


if __name__ == "__main__":
    params = init_params()
    lots = torch.randn(8, 3, LOT_FEATURES)
    target = torch.rand(8) * 10
    for _ in range(3):
        params = sgd_step(params, lots, target)
    rng = np.random.default_rng(0)
    print(score_recipes(params, [rng.normal(size=(3, LOT_FEATURES)).tolist() for _ in range(2)]))
