"""Masks are built in the classic "1 = hidden" form and converted for Keras (1 = attend)."""
from keras import ops

PAD = 0


def look_ahead_mask(n):
    """(n, n) float, 1 where position j is in the future of i."""
    return 1.0 - ops.tril(ops.ones((n, n)))


def padding_mask(ids):
    """(batch, 1, len) float, 1 on padding."""
    return ops.cast(ops.equal(ids, PAD), "float32")[:, None, :]


def to_keras(hidden):
    """Keras MultiHeadAttention attends where the mask is 1/True."""
    return ops.cast(1.0 - hidden, "bool")


def decoder_self_mask(ids):
    n = ops.shape(ids)[1]
    hidden = ops.maximum(look_ahead_mask(n)[None, :, :], padding_mask(ids))
    return to_keras(hidden)


def cross_mask(src_ids, tgt_len):
    hidden = ops.repeat(padding_mask(src_ids), tgt_len, axis=1)
    return to_keras(hidden)
