"""Mask helpers shared by the encoder and the decoder."""
from keras import ops

PAD = 0


def token_keep(ids):
    """(batch, 1, len) bool, True on real tokens."""
    return ops.not_equal(ids, PAD)[:, None, :]


def causal_block(n):
    """(n, n) float, 1 above the diagonal."""
    return ops.triu(ops.ones((n, n)), k=1)


def causal_keep(n):
    return ops.tril(ops.ones((n, n), dtype="bool"))


def combine(*masks):
    out = masks[0]
    for m in masks[1:]:
        out = ops.logical_and(out, m)
    return out


def lengths(ids):
    return ops.sum(ops.cast(ops.not_equal(ids, PAD), "int32"), axis=-1)


def describe(mask):
    shape = tuple(ops.shape(mask))
    frac = float(ops.mean(ops.cast(mask, "float32")))
    return f"mask{shape} keeps {frac:.0%}"
